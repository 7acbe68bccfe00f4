package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * spread over 2 groups: each workload (bank, list-append, register, stale-read) with 6 clients, once with
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
            for (String name : List.of("bank", "list-append", "register", "stale-read")) {
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
            case "stale-read" -> new StaleReadWorkload("stale-" + run + "/", 3);
            default -> new BankWorkload(8, 100);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"bank", "list-append", "register", "stale-read"})
    void withoutFaults(String name) throws Exception {
        WorkloadRunner.Result result = ChaosRuns.runChecked(cluster, "WorkloadsChaosIT " + name + ", no fault",
                workload(name, "calm"), Nemesis.none(), Duration.ofSeconds(6), Duration.ZERO, 1);
        assertEquals(0, result.counts().info(), "no ambiguous outcome without faults: " + result.counts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bank", "list-append", "register", "stale-read"})
    void whileNodesAreKilled(String name) throws Exception {
        ChaosRuns.runChecked(cluster, "WorkloadsChaosIT " + name + ", kill", workload(name, "kill"),
                new KillNemesis(cluster, new Random(name.hashCode()), Duration.ofSeconds(6), Duration.ofSeconds(2)),
                Duration.ofSeconds(14), Duration.ofSeconds(4), 2);
    }
}
