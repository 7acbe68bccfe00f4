package io.meridian.chaos.run;

import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Kills a random node with SIGKILL every {@code interval}, keeps it down for {@code downtime},
 * and restarts it on the same data; one node down at a time, so a majority of every group
 * stays up.
 */
public final class KillNemesis implements Nemesis {

    private final LocalCluster cluster;
    private final Random random;
    private final Duration interval;
    private final Duration downtime;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String current = "no fault yet";
    private Thread thread;

    /**
     * @param cluster  the cluster (its nodes are this JVM's children)
     * @param random   chooses the victims
     * @param interval time between kills (up time plus downtime)
     * @param downtime how long a killed node stays down
     */
    public KillNemesis(LocalCluster cluster, Random random, Duration interval, Duration downtime) {
        if (downtime.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("downtime must be shorter than the interval: " + downtime);
        }
        this.cluster = cluster;
        this.random = random;
        this.interval = interval;
        this.downtime = downtime;
    }

    @Override
    public synchronized void start() {
        thread = Thread.ofPlatform().name("nemesis-kill").start(this::loop);
    }

    private void loop() {
        try {
            while (!stopped.await(interval.minus(downtime).toMillis(), TimeUnit.MILLISECONDS)) {
                List<NodeSpec> nodes = cluster.nodes();
                String victim = nodes.get(random.nextInt(nodes.size())).id();
                cluster.kill(victim);
                current = victim + " killed";
                stopped.await(downtime.toMillis(), TimeUnit.MILLISECONDS);
                cluster.restart(victim);
                current = victim + " restarted";
            }
        } catch (Exception e) {
            current = "failed: " + e;
        }
    }

    @Override
    public String current() {
        return current;
    }

    /** Stops the kills and restarts any node still down. */
    @Override
    public void stop() throws Exception {
        stopped.countDown();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.join();
        }
        for (NodeSpec node : cluster.nodes()) {
            if (!cluster.isRunning(node.id())) {
                cluster.restart(node.id());
            }
        }
    }
}
