package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.net.ProxiedNetwork;
import io.meridian.chaos.proxy.DirectionStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CI's chaos matrix on one real 5-node cluster in 3 zones, node-to-node traffic through the
 * fault proxy ({@link ChaosCluster}, proxy mode), the workloads' keys split into ranges over 3
 * groups: every workload (bank, list-append, register, stale-read) with no fault, with kills,
 * with partitions and with clock faults (skews and drifts within ε, steps beyond max ε, which must
 * fence their node); then register under pauses and list-append
 * while leaderships move and its ranges split and move. A fault every 5 s lasting 2.5 s, 6 clients.
 *
 * <p>Each run starts once the cluster commits a write, reads it back and serves a strong read of
 * the workload's ranges (within 60 s of the previous run's end). Every history must pass its checkers and nothing unexpected may happen;
 * a run without faults has no ambiguous outcome; a run with faults made at least one and kept
 * completing operations after the first; the partitions dropped node-to-node traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosMatrixIT {

    private static final ChaosCluster.Pace PACE = new ChaosCluster.Pace(Duration.ofSeconds(5),
            Duration.ofMillis(2_500));
    private static final Duration CALM = Duration.ofSeconds(6);
    private static final Duration FAULTY = Duration.ofSeconds(11);

    /** The cluster's nodes, their logs and data: kept after the run (a fresh start wipes them). */
    private final Path dir = Path.of("target", "chaos-matrix").toAbsolutePath();
    private ChaosCluster chaos;

    @BeforeAll
    void startCluster() throws Exception {
        System.out.println("ChaosMatrixIT: the nodes' data and logs in " + dir);
        chaos = ChaosCluster.start(dir, 5, 3, 42, line -> { });
        List<String> splits = new ArrayList<>();
        for (String name : Workload.NAMES) {
            for (String fault : List.of("none", "kill", "partition", "clock")) {
                splits.addAll(workload(name, fault).splitKeys());
            }
        }
        splits.addAll(workload("register", "pause").splitKeys());
        // List-append's keys under range changes start in one range: the nemesis splits and moves them.
        ClusterShape.spread(chaos.cluster().clientAddress("n1"), splits.stream().distinct().sorted().toList(), 3,
                List.of("n3", "n4", "n5"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (chaos != null) {
            chaos.close();
        }
    }

    /** The cluster's network: proxy mode, which counts what it forwards and drops. */
    private ProxiedNetwork proxy() {
        return (ProxiedNetwork) chaos.network();
    }

    /** The workload for one run: list-append, register and stale-read get keys of their own per run. */
    private static Workload workload(String name, String fault) {
        return switch (name) {
            case "list-append" -> new ListAppendWorkload("la-" + fault + "/", 5);
            case "register" -> new RegisterWorkload("reg-" + fault + "/", 3);
            case "stale-read" -> new StaleReadWorkload("stale-" + fault + "/", 3);
            default -> new BankWorkload(8, 100);
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> runs = new ArrayList<>();
        for (String fault : List.of("none", "kill", "partition", "clock")) {
            for (String name : Workload.NAMES) {
                runs.add(Arguments.of(name, fault));
            }
        }
        runs.add(Arguments.of("register", "pause"));
        runs.add(Arguments.of("list-append", "leadership,ranges"));
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("matrix")
    void everyHistoryIsValid(String name, String faults) throws Exception {
        Workload workload = workload(name, faults.contains("ranges") ? "ranges" : faults);
        List<PeriodicNemesis> nemeses = new ArrayList<>();
        Random random = new Random((name + faults).hashCode());
        if (!faults.equals("none")) {
            for (String fault : faults.split(",")) {
                nemeses.add((PeriodicNemesis) chaos.nemesis(fault, new Random(random.nextLong()),
                        workload.splitKeys(), PACE));
            }
        }
        String label = "ChaosMatrixIT " + name + " under " + faults;
        Duration recovery = ChaosRuns.awaitServing(chaos.cluster(), workload.splitKeys(), Duration.ofSeconds(60));
        System.out.println(label + ": the cluster served after " + recovery.toMillis() + " ms");
        DirectionStats before = proxy().stats();
        boolean calm = nemeses.isEmpty();
        WorkloadRunner.Result result = ChaosRuns.runChecked(chaos.cluster(), label, workload,
                Nemesis.all(List.copyOf(nemeses)), calm ? CALM : FAULTY,
                calm ? Duration.ZERO : PACE.interval().minus(PACE.duration()), 7);
        for (PeriodicNemesis nemesis : nemeses) {
            System.out.println(label + " faults made: " + nemesis.faultsMade() + "; not made: "
                    + nemesis.faultsNotMade());
            assertFalse(nemesis.faultsMade().isEmpty(), label + ": a fault was made (tried: "
                    + nemesis.faultsNotMade() + ")");
            for (String fault : nemesis.faultsMade()) {
                assertFalse(fault.contains(ClockNemesis.NOT_FENCED), label + ": a clock beyond max ε fences its node: "
                        + fault);
            }
        }
        if (calm) {
            assertEquals(0, result.counts().info(), "no ambiguous outcome without faults: " + result.counts());
        }
        if (faults.equals("partition")) {
            DirectionStats after = proxy().stats();
            assertTrue(after.bytesForwarded() > before.bytesForwarded(), "node-to-node traffic ran through the proxy");
            assertTrue(after.bytesHeld() > before.bytesHeld(), "the partitions held traffic back");
        }
    }
}
