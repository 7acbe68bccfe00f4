package io.meridian.chaos.run;

import io.meridian.api.v1.GroupInfo;
import java.time.Duration;
import java.util.ArrayList;
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
            if (others.isEmpty()) {
                return Fault.notMade("group " + group.getGroupId() + " has no other replica");
            }
            String to = others.get(random.nextInt(others.size()));
            admin.transferLeadership(group.getGroupId(), to);
            return Fault.made("group " + group.getGroupId() + " leadership " + group.getLeaderNodeId()
                    + " -> " + to);
        } catch (io.grpc.StatusRuntimeException refused) {
            // A transfer may be refused (the target lags, an election is running): a fault not made.
            return Fault.notMade("leadership transfer refused: " + refused.getStatus());
        }
    }

    @Override
    protected void heal() {
    }
}
