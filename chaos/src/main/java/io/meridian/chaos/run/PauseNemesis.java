package io.meridian.chaos.run;

import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Pauses a random node with SIGSTOP every {@code interval} and resumes it with SIGCONT after
 * {@code pause}: the process keeps its sockets and memory but answers nothing, like a long GC
 * pause or a frozen VM. Its leases run out while it sleeps; on waking it must notice before it
 * serves. One node paused at a time.
 */
public final class PauseNemesis extends PeriodicNemesis {

    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(10);

    private final LocalCluster cluster;
    private final List<Long> paused = new ArrayList<>();

    /**
     * @param cluster  the cluster (its nodes are this JVM's children)
     * @param random   chooses the victims
     * @param interval time between pauses
     * @param pause    how long a node stays paused
     */
    public PauseNemesis(LocalCluster cluster, Random random, Duration interval, Duration pause) {
        super("pause", random, interval, pause);
        this.cluster = cluster;
    }

    @Override
    protected Fault inject() throws IOException, InterruptedException {
        List<NodeSpec> nodes = cluster.nodes();
        String victim = nodes.get(random.nextInt(nodes.size())).id();
        var pid = cluster.pid(victim);
        if (pid.isEmpty()) {
            return Fault.notMade(victim + " not running: nothing paused");
        }
        signal("STOP", pid.getAsLong());
        synchronized (paused) {
            paused.add(pid.getAsLong());
        }
        return Fault.made(victim + " paused (SIGSTOP)");
    }

    /** Resumes every node this nemesis paused. */
    @Override
    protected void heal() throws IOException, InterruptedException {
        List<Long> resume;
        synchronized (paused) {
            resume = new ArrayList<>(paused);
            paused.clear();
        }
        for (long pid : resume) {
            try {
                signal("CONT", pid);
            } catch (IOException e) {
                // Another nemesis may have killed the paused node meanwhile: nothing left to resume.
                if (isAlive(pid)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Sends {@code SIG<name>} to {@code pid} with {@code kill(1)}. */
    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(SIGNAL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + name + " " + pid + " did not finish");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }
}
