package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.history.Outcome;
import io.meridian.client.MeridianClient;
import io.meridian.server.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CI's short chaos matrix on one real 3-node cluster whose workload keys are split into ranges
 * spread over 2 groups: each workload (bank, list-append, register) with 6 clients, once with
 * no fault and once while random nodes are killed (SIGKILL) and restarted. Every history must
 * pass its checkers, nothing unexpected may happen, and the workload must complete operations,
 * also after the first kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadsChaosIT {

    @TempDir
    static Path dir;
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build();
        cluster.start();
        List<String> splits = new java.util.ArrayList<>();
        for (String run : List.of("calm", "kill")) {
            for (String name : List.of("bank", "list-append", "register")) {
                splits.addAll(workload(name, run).splitKeys());
            }
        }
        ClusterShape.spread(cluster.clientAddress("n1"), splits.stream().distinct().sorted().toList(), 2, List.of("n1", "n2", "n3"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The workload for one run; list-append and register get keys of their own per run. */
    private static Workload workload(String name, String run) {
        return switch (name) {
            case "list-append" -> new ListAppendWorkload("la-" + run + "/", 5);
            case "register" -> new RegisterWorkload("reg-" + run + "/", 3);
            default -> new BankWorkload(8, 100);
        };
    }

    private MeridianClient client() {
        return MeridianClient.builder().endpoints(cluster.clientAddress("n1"), cluster.clientAddress("n2"),
                cluster.clientAddress("n3")).callTimeout(Duration.ofSeconds(15)).transactionTimeout(Duration.ofSeconds(20))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bank", "list-append", "register"})
    void withoutFaults(String name) throws Exception {
        try (MeridianClient client = client()) {
            WorkloadRunner.Result result = WorkloadRunner.run(client, workload(name, "calm"),
                    new WorkloadRunner.Settings(6, Duration.ofSeconds(6), 20_000, 1), line -> { });
            System.out.println("WorkloadsChaosIT " + name + ", no fault: " + result.counts() + " " + result.verdicts());
            assertTrue(result.valid(), result.verdicts() + " " + result.unexpected());
            // Liveness only: hot-key throughput is low today (docs/consistency.md, "found so far").
            assertTrue(result.counts().ok() >= 1, "progress: " + result.counts());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bank", "list-append", "register"})
    void whileNodesAreKilled(String name) throws Exception {
        try (MeridianClient client = client();
             KillNemesis nemesis = new KillNemesis(cluster, new Random(name.hashCode()), Duration.ofSeconds(6),
                     Duration.ofSeconds(2))) {
            long started = System.nanoTime();
            nemesis.start();
            WorkloadRunner.Result result = WorkloadRunner.run(client, workload(name, "kill"),
                    new WorkloadRunner.Settings(6, Duration.ofSeconds(14), 50_000, 2), line -> { });
            nemesis.stop();
            System.out.println("WorkloadsChaosIT " + name + ", kill: " + result.counts() + " " + result.verdicts());
            assertTrue(result.valid(), result.verdicts() + " " + result.unexpected());
            long firstKill = started + Duration.ofSeconds(4).toNanos();
            long okAfter = result.history().operations().stream()
                    .filter(op -> op.outcome() == Outcome.OK && op.invokeNanos() > firstKill).count();
            assertTrue(okAfter >= 1, "the workload kept running after the first kill: " + okAfter + " ok operations");
        }
    }
}
