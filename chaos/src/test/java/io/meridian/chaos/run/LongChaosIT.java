package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.history.HistoryFiles;
import io.meridian.client.MeridianClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long chaos matrix, run by the {@code chaos-long} profile only: every workload against
 * every fault (kills, pauses, partitions, clock skews within ε, leadership transfers with range
 * splits and moves, and all of them at once), each on a fresh 5-node cluster in 3 zones with node-to-node traffic
 * through the fault proxy, for {@code -Dchaos.time} seconds (600 in the profile) with 8 clients;
 * {@code -Dchaos.workloads=bank,register} runs only those workloads, so the pass can be split. Every
 * history must pass its checkers and nothing unexpected may happen; the table of results goes
 * to {@code chaos/target/chaos-long-results-<workloads>.md}, the histories to
 * {@code chaos/target/chaos-long/} and each run's node logs and data to
 * {@code chaos/target/chaos-long-clusters/}.
 */
@EnabledIfSystemProperty(named = "chaos.long", matches = "true",
        disabledReason = "the long chaos matrix runs with -Pchaos-long")
class LongChaosIT {

    private static final List<String> FAULTS = List.of("kill", "pause", "partition", "clock", "leadership,ranges",
            "kill,pause,partition,clock,leadership,ranges");
    private static final List<String> ROWS = new ArrayList<>();

    /** Each run's nodes, their data and logs: kept, so a failed run can be read afterwards. */
    private static final Path dir = Path.of("target", "chaos-long-clusters").toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> everyWorkloadUnderEveryFault() {
        Duration time = Duration.ofSeconds(Long.getLong("chaos.time", 60));
        long seed = Long.getLong("chaos.seed", 1);
        List<String> workloads = List.of(System.getProperty("chaos.workloads", String.join(",", Workload.NAMES))
                .split(","));
        for (String name : workloads) {
            Workload.named(name);
        }
        List<DynamicTest> runs = new ArrayList<>();
        for (String faults : FAULTS) {
            for (String name : workloads) {
                runs.add(DynamicTest.dynamicTest(name + " under " + faults, () -> run(name, faults, time, seed)));
            }
        }
        return runs.stream();
    }

    private static void run(String name, String faults, Duration time, long seed) throws Exception {
        Workload workload = Workload.named(name);
        Path runDir = dir.resolve(name + "-" + faults.replace(',', '+'));
        long started = System.nanoTime();
        try (ChaosCluster chaos = ChaosCluster.start(runDir, 5, 3, seed, line -> { },
                ChaosCluster.NetworkMode.named(System.getProperty("chaos.network", "proxy")))) {
            chaos.shape(workload.splitKeys(), 2);
            Random random = new Random(seed);
            List<Nemesis> nemeses = new ArrayList<>();
            for (String fault : faults.split(",")) {
                nemeses.add(chaos.nemesis(fault, new Random(random.nextLong()), workload.splitKeys(),
                        ChaosCluster.Pace.DEFAULT));
            }
            WorkloadRunner.Result result;
            try (MeridianClient client = ChaosRuns.client(chaos.cluster()); Nemesis nemesis = Nemesis.all(nemeses)) {
                nemesis.start();
                result = WorkloadRunner.run(client, workload, new WorkloadRunner.Settings(8, time, Long.MAX_VALUE, seed),
                        line -> { });
                nemesis.stop();
            }
            Path histories = Files.createDirectories(Path.of("target", "chaos-long"));
            HistoryFiles.write(result.history(), histories.resolve(name + "-" + faults.replace(',', '+') + ".jsonl"));
            WorkloadRunner.Counts counts = result.counts();
            ROWS.add("| " + name + " | " + faults + " | " + counts.ok() + " | " + counts.fail() + " | " + counts.info()
                    + " | " + (result.valid() ? "valid" : "INVALID") + " | "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s |");
            assertTrue(result.valid(), name + " under " + faults + ": " + result.verdicts() + " " + result.unexpected());
        }
    }

    @AfterAll
    static void writeTable() throws IOException {
        String table = "| workload | faults | ok | fail | info | verdict | wall time |\n"
                + "|---|---|---|---|---|---|---|\n" + String.join("\n", ROWS) + "\n";
        Path file = Path.of("target", "chaos-long-results-" + System.getProperty("chaos.workloads", "all")
                .replace(',', '+') + ".md");
        Files.writeString(file, table);
        System.out.println(table);
    }
}
