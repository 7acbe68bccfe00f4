package io.meridian.chaos.run;

import io.meridian.api.v1.GroupInfo;
import io.meridian.chaos.net.NodeNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Partitions the node-to-node network every {@code interval} for {@code duration}, choosing at
 * random among: one node isolated; a random minority cut off from the majority; the leader of a
 * random group isolated; the leader of a random group unable to send to another node (one way).
 * Clients still reach every node (see {@link NodeNetwork}). Healing ends every cut.
 */
public final class PartitionNemesis extends PeriodicNemesis {

    private final NodeNetwork network;
    private final List<String> nodes;
    private final String adminAddress;

    /**
     * @param network      the network between the cluster's nodes
     * @param nodes        the node ids
     * @param adminAddress a node's client address, to find leaders
     * @param random       chooses the partitions
     * @param interval     time between partitions
     * @param duration     how long each lasts
     */
    public PartitionNemesis(NodeNetwork network, List<String> nodes, String adminAddress, Random random,
            Duration interval, Duration duration) {
        super("partition", random, interval, duration);
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("partitions need two nodes or more: " + nodes);
        }
        this.network = network;
        this.nodes = List.copyOf(nodes);
        this.adminAddress = adminAddress;
    }

    @Override
    protected Fault inject() {
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        switch (random.nextInt(4)) {
            case 0 -> {
                network.partition(List.of(shuffled.get(0)));
                return Fault.made(shuffled.get(0) + " isolated");
            }
            case 1 -> {
                List<String> minority = shuffled.subList(0, Math.max(1, (nodes.size() - 1) / 2));
                network.partition(minority);
                return Fault.made("minority " + minority + " cut off");
            }
            case 2 -> {
                Optional<String> leader = someLeader();
                String victim = leader.orElse(shuffled.get(0));
                network.partition(List.of(victim));
                return Fault.made((leader.isPresent() ? "leader " : "(no leader known) ") + victim + " isolated");
            }
            default -> {
                // From a leader, so that something is certainly lost: its heartbeats.
                String from = someLeader().orElse(shuffled.get(0));
                String to = shuffled.stream().filter(node -> !node.equals(from)).findFirst().orElseThrow();
                network.cut(from, to);
                return Fault.made(from + " cannot send to " + to);
            }
        }
    }

    /** The leader of a random group, when one is known. */
    private Optional<String> someLeader() {
        try (ClusterAdmin admin = new ClusterAdmin(adminAddress, Duration.ofSeconds(5))) {
            List<String> leaders = admin.groups().stream().map(GroupInfo::getLeaderNodeId)
                    .filter(nodes::contains).toList();
            return leaders.isEmpty() ? Optional.empty()
                    : Optional.of(leaders.get(random.nextInt(leaders.size())));
        } catch (io.grpc.StatusRuntimeException unknown) {
            return Optional.empty();
        }
    }

    @Override
    protected void heal() {
        network.heal();
    }
}
