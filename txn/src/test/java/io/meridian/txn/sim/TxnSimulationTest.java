package io.meridian.txn.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The transaction protocol, unchanged, in seeded whole-cluster simulations (see {@link SimRun}):
 * 3 to 5 nodes, 3 or 4 groups, bank transfers, list appends and strong snapshots under message
 * loss, duplication, delay and reordering, partitions, crashes and restarts, leader changes and
 * lagging replicas, with clocks drifting inside ε. Every run must pass every
 * {@link HistoryChecks} check: DESIGN.md's invariants 1 to 8, serializability at commit
 * timestamps, the bank total and the list-append dependency graph.
 *
 * <p>Each run prints its seed. {@code -Dsim.seeds=N} runs N seeds (200 by default; the
 * {@code sim-long} profile runs 5,000), {@code -Dsim.baseSeed=B} fixes the set (seeds B, B+1, ...;
 * random by default), and {@code -Dsim.seed=S} replays one run exactly.
 *
 * <p>It also shows the external-consistency check can fail, and why TrueTime's bound matters: with
 * one node's clock 10 to 30 ε behind true time while its TrueTime still claims ±ε, its leader
 * assigns timestamps below commits already acknowledged elsewhere, and some run of a fixed small
 * set of seeds is caught doing so.
 */
class TxnSimulationTest {

    /** Seeds of the clock-outside-ε runs: fixed, so the assertion that a check fails is repeatable. */
    private static final long[] CLOCK_OUTSIDE_EPSILON_SEEDS = {1, 2, 3, 4, 5, 6};

    private static Path baseDir;

    @BeforeAll
    static void createBaseDir() throws IOException {
        // Stores on tmpfs when there is one: closing a store syncs it, and a run opens several.
        Path shm = Path.of("/dev/shm");
        baseDir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "meridian-txn-sim-") : Files.createTempDirectory("meridian-txn-sim-");
    }

    @AfterAll
    static void deleteBaseDir() throws IOException {
        Files.deleteIfExists(baseDir);
    }

    @TestFactory
    Stream<DynamicTest> seededRunsKeepEveryInvariant() {
        return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            SimRun.Result result;
            try {
                result = SimRun.run(SimConfig.standard(seed), baseDir);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + seed + " stopped the simulation (replay with -Dsim.seed=" + seed
                        + "): " + e, e);
            }
            System.out.println(result.summary() + " (replay with -Dsim.seed=" + seed + ")");
            if (!result.passed()) {
                fail("seed " + seed + " broke " + result.violations().size() + " checks (replay with -Dsim.seed=" + seed
                        + "):\n  " + String.join("\n  ", result.violations().stream().map(Violation::toString).toList()));
            }
        }));
    }

    @Test
    void aClockOutsideItsEpsilonBreaksExternalConsistency() {
        List<String> caught = new ArrayList<>();
        for (long seed : CLOCK_OUTSIDE_EPSILON_SEEDS) {
            SimRun.Result result = SimRun.run(SimConfig.standard(seed)
                    .withClocks(SimConfig.ClockMode.ONE_CLOCK_OUTSIDE_EPSILON), baseDir);
            System.out.println(result.summary());
            result.violations().stream().filter(v -> v.check().equals(ExternalConsistencyCheck.NAME)).findFirst()
                    .ifPresent(v -> caught.add("seed " + seed + ": " + v));
        }
        System.out.println("a clock outside its ε broke external consistency in " + caught.size() + " of "
                + CLOCK_OUTSIDE_EPSILON_SEEDS.length + " runs:\n  " + String.join("\n  ", caught));
        assertFalse(caught.isEmpty(), "no run with a clock outside its ε broke external consistency: the check"
                + " could not have failed");
    }

    /** The seeds to run: one to replay, or a range from a base seed. */
    private static LongStream seeds() {
        Long replay = Long.getLong("sim.seed");
        if (replay != null) {
            return LongStream.of(replay);
        }
        long base = Long.getLong("sim.baseSeed", new Random().nextLong() >>> 2);
        int count = Integer.getInteger("sim.seeds", 200);
        System.out.println("TxnSimulationTest: " + count + " seeds from " + base + " (-Dsim.baseSeed=" + base
                + " runs the same set)");
        return LongStream.range(base, base + count);
    }
}
