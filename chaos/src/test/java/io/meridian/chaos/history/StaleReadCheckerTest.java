package io.meridian.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.history.Action.ReadBound;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shows the stale-read checker on hand-made histories: reads that honour their bounds and see
 * the snapshot at their timestamps pass (ambiguous writes may be seen at any time), and each
 * violation is found and named: a bound not honoured, a timestamp in the future, a stale value,
 * a value committed above the read's timestamp, a value nobody wrote, a snapshot read twice
 * with different results.
 */
class StaleReadCheckerTest {

    /** Wall-clock microseconds of the hand-made reads. */
    private static final long NOW = 1_000_000_000;
    private static final long SLACK = 1_000;

    private final StaleReadChecker checker = new StaleReadChecker(SLACK);
    private final List<Operation> ops = new ArrayList<>();

    private void op(Outcome outcome, Action action) {
        long t = ops.size() * 10L;
        ops.add(new Operation(ops.size(), 0, t, t + 5, outcome, action));
    }

    private void write(Outcome outcome, long value, long commitTs) {
        op(outcome, new Action.TimedWrite("k", value, outcome == Outcome.OK ? commitTs : 0));
    }

    /** A bounded-staleness read (bound 100 µs) invoked at NOW, completed 50 µs later, at {@code ts}. */
    private void read(long ts, Long observed) {
        op(Outcome.OK, new Action.TimedRead("k", ReadBound.MAX_STALENESS, 100, NOW, NOW + 50, observed, ts));
    }

    private CheckResult check() {
        return checker.check(new History(ops));
    }

    private void assertOneAnomaly(String prefix) {
        CheckResult result = check();
        assertFalse(result.valid());
        assertEquals(1, result.anomalies().size(), result.anomalies().toString());
        assertTrue(result.anomalies().get(0).startsWith(prefix), result.anomalies().get(0));
    }

    @Test
    void readsOfTheSnapshotAtTheirTimestampsWithinTheirBoundsPass() {
        write(Outcome.OK, 1, NOW - 500);
        write(Outcome.OK, 2, NOW - 20);
        write(Outcome.FAIL, 3, 0);
        write(Outcome.INFO, 4, 0);
        read(NOW - 100, 1L);
        read(NOW - 10, 2L);
        read(NOW - 10, 2L);
        read(NOW, 4L);
        op(Outcome.FAIL, new Action.TimedRead("k", ReadBound.MAX_STALENESS, 100, NOW, NOW + 9, null, 0));
        op(Outcome.OK, new Action.TimedRead("k", ReadBound.EXACT_STALENESS, 300, NOW, NOW + 50, 1L, NOW - 280));
        op(Outcome.OK, new Action.TimedRead("k", ReadBound.AT_TIMESTAMP, NOW - 600, NOW, NOW + 50, null, NOW - 600));

        assertEquals(CheckResult.ok("stale-read"), check());
    }

    @Test
    void aReadOlderThanItsBoundIsFound() {
        write(Outcome.OK, 1, NOW - 5_000);
        read(NOW - 100 - SLACK - 1, 1L);

        assertOneAnomaly("bound-violated: read 1 of k (max_staleness 100 µs)");
    }

    @Test
    void anExactStalenessReadAtAnotherTimeIsFound() {
        op(Outcome.OK, new Action.TimedRead("k", ReadBound.EXACT_STALENESS, 3_000, NOW, NOW + 50, null, NOW - 2));

        assertOneAnomaly("bound-violated: read 0 of k (exact_staleness 3000 µs)");
    }

    @Test
    void aTimestampAfterTheReadCompletedIsFound() {
        read(NOW + 50 + SLACK + 1, null);

        assertOneAnomaly("future-timestamp: read 0");
    }

    @Test
    void missingAWriteCommittedAtOrBelowTheTimestampIsAStaleRead() {
        write(Outcome.OK, 1, NOW - 500);
        write(Outcome.OK, 2, NOW - 50);
        read(NOW - 50, 1L);

        assertOneAnomaly("stale-read: read 2 of k");
    }

    @Test
    void seeingNothingWhenSomethingCommittedIsAStaleRead() {
        write(Outcome.OK, 1, NOW - 500);
        read(NOW - 50, null);

        assertOneAnomaly("stale-read: read 1 of k");
    }

    @Test
    void aValueCommittedAboveTheTimestampIsAFutureRead() {
        write(Outcome.OK, 1, NOW - 500);
        write(Outcome.OK, 2, NOW - 10);
        read(NOW - 50, 2L);

        assertOneAnomaly("future-read: read 2 of k");
    }

    @Test
    void aValueNoWriteWroteIsFound() {
        write(Outcome.FAIL, 7, 0);
        read(NOW - 50, 7L);

        assertOneAnomaly("unknown-value: read 1 of k");
    }

    @Test
    void twoReadsAtOneTimestampThatDifferAreFound() {
        write(Outcome.INFO, 1, 0);
        write(Outcome.INFO, 2, 0);
        read(NOW - 50, 1L);
        read(NOW - 50, 2L);

        assertOneAnomaly("non-repeatable-read: read 3 of k");
    }
}
