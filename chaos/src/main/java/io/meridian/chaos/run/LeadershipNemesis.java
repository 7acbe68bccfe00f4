package io.meridian.chaos.run;

import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.GroupInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Moves the leadership of a random group to another of its replicas every {@code interval}
 * (Admin {@code TransferLeadership}): locks held at the old leader are lost, prepared
 * transactions are taken over by the new one. Nothing to heal.
 */
public final class LeadershipNemesis extends PeriodicNemesis {

    private final String adminAddress;

    /**
     * @param adminAddress a node's client address, {@code host:port}
     * @param random       chooses groups and new leaders
     * @param interval     time between transfers
     */
    public LeadershipNemesis(String adminAddress, Random random, Duration interval) {
        super("leadership", random, interval, interval.dividedBy(2));
        this.adminAddress = adminAddress;
    }

    @Override
    protected Fault inject() {
        try (ClusterAdmin admin = new ClusterAdmin(adminAddress, Duration.ofSeconds(20))) {
            List<GroupInfo> groups = admin.groups();
            GroupInfo group = groups.get(random.nextInt(groups.size()));
            List<String> others = new ArrayList<>(group.getReplicaNodeIdsList());
            others.remove(group.getLeaderNodeId());
            Collections.shuffle(others, random);
            List<String> refusals = new ArrayList<>();
            // A replica may refuse (it lags, an election is running): try the others before giving up.
            for (String to : others) {
                try {
                    admin.transferLeadership(group.getGroupId(), to);
                    return Fault.made("group " + group.getGroupId() + " leadership " + group.getLeaderNodeId()
                            + " -> " + to);
                } catch (StatusRuntimeException refused) {
                    refusals.add(to + ": " + refused.getStatus());
                }
            }
            return Fault.notMade("group " + group.getGroupId() + " leadership not moved: "
                    + (others.isEmpty() ? "no other replica" : refusals));
        } catch (StatusRuntimeException unavailable) {
            return Fault.notMade("groups not listed: " + unavailable.getStatus());
        }
    }

    @Override
    protected void heal() {
    }
}
