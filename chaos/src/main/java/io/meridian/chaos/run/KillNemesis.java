package io.meridian.chaos.run;

import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Kills a random node with SIGKILL every {@code interval}, keeps it down for {@code downtime},
 * and restarts it on the same data; one node down at a time, so a majority of every group
 * stays up.
 */
public final class KillNemesis extends PeriodicNemesis {

    private final LocalCluster cluster;

    /**
     * @param cluster  the cluster (its nodes are this JVM's children)
     * @param random   chooses the victims
     * @param interval time between kills (up time plus downtime)
     * @param downtime how long a killed node stays down
     */
    public KillNemesis(LocalCluster cluster, Random random, Duration interval, Duration downtime) {
        super("kill", random, interval, downtime);
        this.cluster = cluster;
    }

    @Override
    protected Fault inject() throws Exception {
        List<NodeSpec> nodes = cluster.nodes();
        String victim = nodes.get(random.nextInt(nodes.size())).id();
        cluster.kill(victim);
        return Fault.made(victim + " killed");
    }

    /** Restarts every node that is down. */
    @Override
    protected void heal() throws Exception {
        for (NodeSpec node : cluster.nodes()) {
            if (!cluster.isRunning(node.id())) {
                cluster.restart(node.id());
            }
        }
    }
}
