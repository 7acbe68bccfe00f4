package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.history.Outcome;
import io.meridian.client.MeridianClient;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.time.Duration;
import java.util.List;

/** What the chaos ITs share: a client of every node, and one checked run of a workload under a nemesis. */
final class ChaosRuns {

    /** Pause after a failed probe of the cluster. */
    private static final Duration PROBE_RETRY_PAUSE = Duration.ofMillis(100);

    private ChaosRuns() {
    }

    /** A client with every node as an endpoint. */
    static MeridianClient client(LocalCluster cluster) {
        return MeridianClient.builder()
                .endpoints(cluster.nodes().stream().map(NodeSpec::clientAddress).toArray(String[]::new))
                .callTimeout(Duration.ofSeconds(15)).transactionTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Waits until the cluster commits a write, reads it back and serves a strong read of
     * {@code keys} (one per range the next workload uses; a transaction left prepared by a
     * previous run holds back the safe time of its group until it is resolved), at most
     * {@code patience}: a run starts from a serving cluster, whatever the previous run's faults
     * left behind.
     *
     * @return how long it took
     * @throws AssertionError if the cluster did not serve within {@code patience}
     */
    static Duration awaitServing(LocalCluster cluster, List<String> keys, Duration patience) {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        RuntimeException last = null;
        try (MeridianClient client = client(cluster)) {
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                String key = "chaos-probe/" + attempt;
                try {
                    client.write(io.meridian.client.Mutation.put(key, "ok"));
                    if (client.singleUse().get(key).isPresent()) {
                        if (!keys.isEmpty()) {
                            client.singleUse().read(keys.toArray(String[]::new));
                        }
                        return Duration.ofNanos(System.nanoTime() - started);
                    }
                } catch (RuntimeException e) {
                    last = e;
                    pauseBeforeRetry();
                }
            }
        }
        throw new AssertionError("the cluster did not serve a write and a read within " + patience
                + (last == null ? "" : "; last failure: " + last));
    }

    /**
     * Runs {@code workload} with 6 clients for {@code length} while {@code nemesis} injects
     * faults from {@code firstFault} on, then asserts what a user would: every checker finds the
     * history valid, nothing unexpected happened, and operations still succeeded after the first
     * fault.
     */
    static WorkloadRunner.Result runChecked(LocalCluster cluster, String label, Workload workload, Nemesis nemesis,
            Duration length, Duration firstFault, long seed) throws Exception {
        try (MeridianClient client = client(cluster); nemesis) {
            long started = System.nanoTime();
            nemesis.start();
            WorkloadRunner.Result result = WorkloadRunner.run(client, workload,
                    new WorkloadRunner.Settings(6, length, 50_000, seed), line -> { });
            nemesis.stop();
            System.out.println(label + ": " + result.counts() + " " + result.verdicts());
            assertTrue(result.valid(), label + ": " + result.verdicts() + " " + result.unexpected());
            long faultAt = started + firstFault.toNanos();
            long okAfter = result.history().operations().stream()
                    .filter(op -> op.outcome() == Outcome.OK && op.invokeNanos() > faultAt).count();
            assertTrue(okAfter >= 1, label + ": the workload kept running after the first fault: " + okAfter
                    + " ok operations");
            return result;
        }
    }

    /** A short pause between probes of a cluster that just refused one, so the probe does not spin. */
    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(PROBE_RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the cluster", e);
        }
    }
}
