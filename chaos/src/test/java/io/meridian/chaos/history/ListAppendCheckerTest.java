package io.meridian.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shows the list-append checker on hand-made histories (times in abstract units): clean ones
 * pass (serial, concurrent but serializable, ambiguous transactions that did and did not take
 * effect, failed ones nobody saw), and a history with each anomaly is found and named: G0,
 * G1a, G1b, G1c, G-single, G2-item, a real-time violation, incompatible orders, duplicates.
 */
class ListAppendCheckerTest {

    private final List<Operation> ops = new ArrayList<>();

    private static Action.MicroOp append(String key, long element) {
        return new Action.Append(key, element);
    }

    private static Action.MicroOp read(String key, Long... elements) {
        return new Action.ReadList(key, List.of(elements));
    }

    private void txn(long invoke, long complete, Outcome outcome, Action.MicroOp... micro) {
        ops.add(new Operation(ops.size(), ops.size(), invoke, complete, outcome, new Action.ListTxn(List.of(micro))));
    }

    private void txn(long invoke, long complete, Action.MicroOp... micro) {
        txn(invoke, complete, Outcome.OK, micro);
    }

    private CheckResult check() {
        return new ListAppendChecker().check(new History(ops));
    }

    private void assertFound(String anomaly) {
        CheckResult result = check();
        assertTrue(result.anomalies().stream().anyMatch(line -> line.startsWith(anomaly + ":")),
                "expected " + anomaly + " in " + result.anomalies());
        assertTrue(!result.valid());
    }

    @Test
    void aSerialHistoryPasses() {
        txn(0, 1, append("x", 1));
        txn(2, 3, read("x", 1L), append("x", 2), read("x", 1L, 2L));
        txn(4, 5, read("x", 1L, 2L), read("y"));

        assertEquals(CheckResult.ok("list-append"), check());
    }

    @Test
    void aConcurrentSerializableHistoryPasses() {
        txn(0, 10, append("x", 1));
        txn(0, 10, append("y", 1));
        txn(0, 10, read("x", 1L), read("y"));
        txn(11, 12, read("y", 1L), read("x", 1L));

        assertEquals(CheckResult.ok("list-append"), check());
    }

    @Test
    void ambiguousTransactionsCountWhenSeenAndFailedOnesNobodySawAreFine() {
        txn(0, 1, Outcome.INFO, append("x", 1));
        txn(0, 1, Outcome.INFO, append("x", 2));
        txn(0, 1, Outcome.FAIL, append("x", 3));
        txn(5, 6, read("x", 1L));

        assertEquals(CheckResult.ok("list-append"), check());
    }

    @Test
    void writeCyclesAreG0() {
        txn(0, 10, append("x", 1), append("y", 2));
        txn(0, 10, append("x", 2), append("y", 1));
        txn(20, 21, read("x", 1L, 2L), read("y", 1L, 2L));

        assertFound("G0");
    }

    @Test
    void readingAFailedAppendIsG1a() {
        txn(0, 1, Outcome.FAIL, append("x", 7));
        txn(2, 3, read("x", 7L));

        assertFound("G1a");
    }

    @Test
    void readingAnIntermediateStateIsG1b() {
        txn(0, 1, append("x", 1), append("x", 2));
        txn(2, 3, read("x", 1L));

        assertFound("G1b");
    }

    @Test
    void circularReadsAreG1c() {
        txn(0, 10, append("x", 1), read("y", 1L));
        txn(0, 10, append("y", 1), read("x", 1L));

        assertFound("G1c");
    }

    @Test
    void oneAntiDependencyInACycleIsGSingle() {
        txn(0, 10, read("x"), read("y", 2L));
        txn(0, 10, append("x", 1), append("y", 2));
        txn(20, 21, read("x", 1L));

        assertFound("G-single");
    }

    @Test
    void writeSkewIsG2Item() {
        txn(0, 10, read("x"), append("y", 1));
        txn(0, 10, read("y"), append("x", 1));
        txn(20, 21, read("x", 1L), read("y", 1L));

        assertFound("G2-item");
    }

    @Test
    void aStaleReadAfterACompletedAppendViolatesRealTimeOrder() {
        txn(0, 1, append("x", 1));
        txn(2, 3, read("x"));
        txn(4, 5, read("x", 1L));

        CheckResult result = check();
        assertTrue(result.anomalies().stream().anyMatch(line -> line.startsWith("G-single-realtime:")),
                result.anomalies().toString());
    }

    @Test
    void readsThatDisagreeOnOrderAreIncompatible() {
        txn(0, 1, append("x", 1));
        txn(0, 1, append("x", 2));
        txn(2, 3, read("x", 1L, 2L));
        txn(2, 3, read("x", 2L));

        assertFound("incompatible-order");
    }

    @Test
    void anElementReadTwiceIsADuplicate() {
        txn(0, 1, append("x", 1));
        txn(2, 3, read("x", 1L, 1L));

        assertFound("duplicate");
    }
}
