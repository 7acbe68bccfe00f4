package io.meridian.txn.sim;

import io.meridian.groups.NodeId;
import io.meridian.txn.sim.SimWorld.Group;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The faults of a run, injected at random moments while the workloads run and all healed at
 * the end: message loss, duplication and long delays (rates drawn per run), partitions between
 * pairs of nodes or around one node, node crashes and restarts (one node down at a time, so every
 * group keeps a majority), leader changes (some telling the old leader nothing, as a partition
 * would, some losing the log's uncommitted entries) and lagging replicas.
 *
 * <p>Not thread-safe: the simulation's thread drives it.
 */
final class SimFaults {

    private final SimWorld world;
    private final Random random;
    private final long stopMicros;
    private final Set<SimNode> cutOff = new LinkedHashSet<>();
    private SimNode down;

    SimFaults(SimWorld world, long stopMicros) {
        this.world = world;
        this.random = world.random;
        this.stopMicros = stopMicros;
    }

    /** Turns on message faults and schedules the first fault. */
    void start() {
        world.network.setFaults(SimNetwork.Faults.random(random));
        scheduleNext();
    }

    private void scheduleNext() {
        world.scheduler.schedule(this::injectOne, 20_000 + random.nextInt(150_000));
    }

    private void injectOne() {
        if (world.nowMicros() >= stopMicros) {
            return;
        }
        int choice = random.nextInt(100);
        if (choice < 20) {
            partition();
        } else if (choice < 40) {
            crash();
        } else if (choice < 65) {
            changeLeader();
        } else if (choice < 80) {
            lag();
        } else {
            world.countFault("quiet");
        }
        scheduleNext();
    }

    private void partition() {
        List<SimNode> nodes = world.nodes;
        SimNode a = nodes.get(random.nextInt(nodes.size()));
        if (random.nextBoolean()) {
            for (SimNode other : nodes) {
                if (other != a) {
                    world.network.cut(a.id, other.id);
                }
            }
            world.countFault("partition around a node");
        } else {
            SimNode b = nodes.get(random.nextInt(nodes.size()));
            if (a != b) {
                world.network.cut(a.id, b.id);
            }
            world.countFault("partition between two nodes");
        }
        world.scheduler.schedule(() -> {
            world.network.healAll();
            world.countFault("partition healed");
        }, 50_000 + random.nextInt(300_000));
    }

    private void crash() {
        if (down != null) {
            return;
        }
        SimNode node = world.nodes.get(random.nextInt(world.nodes.size()));
        boolean loseUncommitted = random.nextBoolean();
        down = node;
        node.crash();
        world.countFault("crash");
        for (Group group : world.groups.values()) {
            if (group.log().leader().map(node.id::equals).orElse(false)) {
                if (loseUncommitted) {
                    group.log().dropUncommitted();
                    world.countFault("uncommitted entries lost");
                }
                electAnother(group, node, false);
            }
        }
        world.scheduler.schedule(this::restartDown, 50_000 + random.nextInt(400_000));
    }

    private void restartDown() {
        if (down != null) {
            SimNode node = down;
            down = null;
            cutOff.remove(node);
            node.restart();
            world.countFault("restart");
        }
    }

    private void changeLeader() {
        List<Group> groups = new ArrayList<>(world.groups.values());
        Group group = groups.get(random.nextInt(groups.size()));
        boolean cutOld = random.nextInt(3) == 0;
        SimNode old = group.log().leader().map(world::node).orElse(null);
        if (random.nextInt(4) == 0) {
            group.log().dropUncommitted();
            world.countFault("uncommitted entries lost");
        }
        electAnother(group, old, cutOld);
    }

    /** Elects a live replica of {@code group} other than {@code avoid}; {@code cutAvoided} keeps {@code avoid} uninformed. */
    private void electAnother(Group group, SimNode avoid, boolean cutAvoided) {
        List<SimNode> candidates = group.replicas().stream()
                .filter(n -> n.up() && n != avoid && !cutOff.contains(n)).toList();
        if (candidates.isEmpty()) {
            return;
        }
        SimNode next = candidates.get(random.nextInt(candidates.size()));
        Set<NodeId> told = new HashSet<>();
        for (SimNode replica : group.replicas()) {
            if (replica.up() && !(cutAvoided && replica == avoid)) {
                told.add(replica.id);
            }
        }
        group.log().elect(next.id, told);
        world.countFault(cutAvoided && avoid != null ? "leader change, old leader cut off" : "leader change");
        if (cutAvoided && avoid != null) {
            cutOff.add(avoid);
            world.scheduler.schedule(() -> tellCutOff(avoid), 50_000 + random.nextInt(300_000));
        }
    }

    private void tellCutOff(SimNode node) {
        if (cutOff.remove(node) && node.up()) {
            for (Group group : world.groups.values()) {
                if (group.replicas().contains(node)) {
                    group.log().tell(node.id);
                }
            }
        }
    }

    private void lag() {
        List<Group> groups = new ArrayList<>(world.groups.values());
        Group group = groups.get(random.nextInt(groups.size()));
        SimNode node = group.replicas().get(random.nextInt(3));
        if (!node.up() || group.log().leader().map(node.id::equals).orElse(false)) {
            return;
        }
        group.log().pause(node.id);
        world.countFault("lagging replica");
        world.scheduler.schedule(() -> {
            if (node.up()) {
                group.log().resume(node.id);
            }
        }, 20_000 + random.nextInt(300_000));
    }

    /** Ends every fault: messages flow, partitions heal, the down node restarts, everyone learns the leaders. */
    void healAll() {
        world.network.setFaults(SimNetwork.Faults.NONE);
        world.network.healAll();
        restartDown();
        for (SimNode node : List.copyOf(cutOff)) {
            tellCutOff(node);
        }
        for (Group group : world.groups.values()) {
            for (SimNode node : group.replicas()) {
                if (node.up()) {
                    group.log().resume(node.id);
                }
            }
            if (world.leader(group).isEmpty()) {
                electAnother(group, null, false);
            }
        }
    }
}
