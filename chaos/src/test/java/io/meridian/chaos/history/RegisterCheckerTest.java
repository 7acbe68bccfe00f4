package io.meridian.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

// Shows that RegisterChecker accepts exactly the register histories some linearization explains
// (OK ops inside their interval, FAIL ops never, INFO ops any time after invocation or never),
// checks keys independently, reports a violation as a small window naming the ops involved,
// and says "unknown" rather than "valid" when its search budget runs out.
class RegisterCheckerTest {

    private static final String X = "x";
    private static final String Y = "y";

    /** Builds histories by hand; operations must be added in invocation order, indexed from 0. */
    private static final class Builder {
        private final List<Operation> ops = new ArrayList<>();

        long op(Outcome outcome, int process, long invokeNanos, long completeNanos, Action action) {
            if (!ops.isEmpty() && ops.getLast().invokeNanos() > invokeNanos) {
                throw new IllegalArgumentException("add operations in invocation order");
            }
            long index = ops.size();
            ops.add(new Operation(index, process, invokeNanos, completeNanos, outcome, action));
            return index;
        }

        long write(int process, String key, long value, long invokeNanos, long completeNanos) {
            return op(Outcome.OK, process, invokeNanos, completeNanos, new Action.RegisterWrite(key, value));
        }

        long read(int process, String key, Long observed, long invokeNanos, long completeNanos) {
            return op(Outcome.OK, process, invokeNanos, completeNanos, new Action.RegisterRead(key, observed));
        }

        long cas(int process, String key, long expected, long next, long invokeNanos, long completeNanos) {
            return op(Outcome.OK, process, invokeNanos, completeNanos, new Action.RegisterCas(key, expected, next));
        }

        History build() {
            return new History(ops);
        }
    }

    private static CheckResult check(Builder builder) {
        return new RegisterChecker().check(builder.build());
    }

    private static void assertValid(CheckResult result) {
        assertEquals("register", result.checker());
        assertTrue(result.valid(), () -> "expected valid, got " + result.anomalies());
        assertEquals(List.of(), result.anomalies());
    }

    private static String singleAnomaly(CheckResult result) {
        assertFalse(result.valid(), "expected a violation");
        assertEquals(1, result.anomalies().size(), () -> result.anomalies().toString());
        return result.anomalies().getFirst();
    }

    /** The operation indices an anomaly line names ({@code #12 ...}). */
    private static Set<Long> namedOps(String anomaly) {
        Set<Long> named = new TreeSet<>();
        Matcher matcher = Pattern.compile("#(\\d+) p").matcher(anomaly);
        while (matcher.find()) {
            named.add(Long.parseLong(matcher.group(1)));
        }
        return named;
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        Builder h = new Builder();
        h.read(0, X, null, 0, 10);
        h.write(0, X, 1, 20, 30);
        h.read(1, X, 1L, 40, 50);
        h.write(1, X, 2, 60, 70);
        h.read(0, X, 2L, 80, 90);
        assertValid(check(h));
    }

    @Test
    void concurrentOverlappingWritesAndReadsAreLinearizable() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 100);
        h.read(2, X, null, 5, 15);
        h.write(1, X, 2, 10, 90);
        h.read(2, X, 2L, 20, 30);
        h.read(2, X, 1L, 40, 50);
        h.read(3, X, 1L, 110, 120);
        assertValid(check(h));
    }

    @Test
    void readExplainedByWriteInvokedAfterItIsLinearizable() {
        Builder h = new Builder();
        h.read(0, X, 7L, 0, 100);
        h.write(1, X, 7, 50, 60);
        assertValid(check(h));
    }

    @Test
    void casChainIsLinearizable() {
        Builder h = new Builder();
        h.write(0, X, 0, 0, 10);
        h.cas(1, X, 0, 1, 20, 60);
        h.cas(2, X, 1, 2, 30, 70); // concurrent with the first cas, but must follow it
        h.cas(0, X, 2, 3, 80, 90);
        h.read(1, X, 3L, 100, 110);
        assertValid(check(h));
    }

    @Test
    void infoWriteSeenLaterTookEffectEvenAfterItsCompletion() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.op(Outcome.INFO, 1, 20, 30, new Action.RegisterWrite(X, 5));
        h.read(2, X, 1L, 40, 50); // not yet
        h.read(2, X, 5L, 100, 110); // now it has
        h.read(0, X, 5L, 120, 130);
        assertValid(check(h));
    }

    @Test
    void infoWriteNeverSeenNeverTookEffect() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.op(Outcome.INFO, 1, 20, 30, new Action.RegisterWrite(X, 5));
        h.op(Outcome.INFO, 3, 25, 35, new Action.RegisterCas(X, 1, 6));
        h.op(Outcome.INFO, 2, 40, 50, new Action.RegisterRead(X, null));
        h.read(2, X, 1L, 60, 70);
        h.read(0, X, 1L, 200, 210);
        assertValid(check(h));
    }

    @Test
    void failWriteNeverSeenIsLinearizable() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.op(Outcome.FAIL, 1, 20, 30, new Action.RegisterWrite(X, 2));
        h.op(Outcome.FAIL, 2, 25, 35, new Action.RegisterCas(X, 5, 6));
        h.read(0, X, 1L, 40, 50);
        assertValid(check(h));
    }

    @Test
    void keysAreCheckedIndependently() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.write(1, Y, 2, 5, 15);
        long yReadOfTwo = h.read(0, Y, 2L, 20, 30); // on x this value would be impossible
        h.read(1, X, 1L, 25, 35);
        assertValid(check(h));

        long yRead = h.read(2, Y, 1L, 40, 50); // y never held 1
        String anomaly = singleAnomaly(check(h));
        assertTrue(anomaly.startsWith("register y: not linearizable: "), anomaly);
        assertEquals(Set.of(yReadOfTwo, yRead), namedOps(anomaly));
        assertTrue(anomaly.endsWith("; 1 never written"), anomaly);
    }

    @Test
    void staleReadAfterCompletedWriteIsReportedWithJustTheOpsInvolved() {
        Builder h = new Builder();
        h.write(0, X, 0, 0, 10);
        h.read(1, X, 0L, 20, 30);
        h.write(2, Y, 9, 25, 35);
        h.write(0, X, 1, 40, 50);
        h.read(1, X, 1L, 60, 70);
        long newWrite = h.write(2, X, 2, 80, 90);
        long staleRead = h.read(1, X, 1L, 100, 110);
        String anomaly = singleAnomaly(check(h));
        assertEquals("register x: not linearizable: #5 p2 write 2 OK, #6 p1 read 1 OK", anomaly);
        assertEquals(Set.of(newWrite, staleRead), namedOps(anomaly));
    }

    @Test
    void readOfNeverWrittenValueIsReported() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.read(1, X, 1L, 20, 30);
        long badRead = h.read(0, X, 7L, 40, 50);
        String anomaly = singleAnomaly(check(h));
        assertTrue(namedOps(anomaly).contains(badRead), anomaly);
        assertFalse(namedOps(anomaly).contains(0L), anomaly);
        assertTrue(anomaly.endsWith("; 7 never written"), anomaly);
    }

    @Test
    void readOfFailedWritesValueIsReported() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        long failed = h.op(Outcome.FAIL, 1, 20, 30, new Action.RegisterWrite(X, 2));
        long badRead = h.read(0, X, 2L, 40, 50);
        String anomaly = singleAnomaly(check(h));
        assertTrue(namedOps(anomaly).contains(badRead), anomaly);
        assertTrue(anomaly.endsWith("; 2 written only by failed #" + failed), anomaly);
    }

    @Test
    void sequentialReadsSeeingValuesInImpossibleOrderAreReported() {
        Builder h = new Builder();
        h.write(3, X, 0, 0, 5);
        h.write(0, X, 1, 10, 30);
        h.write(1, X, 2, 12, 30); // both writes done: the value can no longer change
        long sawTwo = h.read(2, X, 2L, 40, 50);
        long sawOne = h.read(2, X, 1L, 60, 70);
        String anomaly = singleAnomaly(check(h));
        assertEquals(Set.of(sawTwo, sawOne), namedOps(anomaly));
    }

    @Test
    void flipFloppingReadsDuringConcurrentWritesAreReported() {
        Builder h = new Builder();
        long one = h.write(0, X, 1, 0, 100);
        long two = h.write(1, X, 2, 0, 100);
        long a = h.read(2, X, 1L, 10, 20);
        long b = h.read(2, X, 2L, 30, 40);
        long c = h.read(2, X, 1L, 50, 60); // each write takes effect once: 1, 2, 1 is impossible
        String anomaly = singleAnomaly(check(h));
        assertEquals(Set.of(one, two, a, b, c), namedOps(anomaly));
    }

    @Test
    void okCasFromWrongValueIsReported() {
        Builder h = new Builder();
        h.write(0, X, 1, 0, 10);
        h.read(0, X, 1L, 15, 18);
        long current = h.write(0, X, 2, 20, 30);
        long badCas = h.cas(1, X, 1, 3, 40, 50);
        String anomaly = singleAnomaly(check(h));
        assertEquals(Set.of(current, badCas), namedOps(anomaly));
        assertTrue(anomaly.contains("#" + badCas + " p1 cas 1->3 OK"), anomaly);
    }

    @Test
    void tinyBudgetOnLargeConcurrentHistoryIsUnknownNotValid() {
        History history = randomLinearizableHistory(new Random(7), 400, 6);
        CheckResult result = new RegisterChecker(50).check(history);
        assertFalse(result.valid());
        assertEquals(List.of("register x: unknown, search budget exhausted after 50 states"), result.anomalies());
    }

    @Test
    void largeConcurrentLinearizableHistoryPassesWithDefaultBudget() {
        for (long seed = 1; seed <= 5; seed++) {
            History history = randomLinearizableHistory(new Random(seed), 2_000, 8);
            assertValid(new RegisterChecker().check(history));
        }
    }

    @Test
    void largeConcurrentHistoryWithOneStaleReadIsReportedNarrowly() {
        History valid = randomLinearizableHistory(new Random(11), 1_000, 5);
        List<Operation> ops = new ArrayList<>(valid.operations());
        long t = ops.stream().mapToLong(Operation::completeNanos).max().orElseThrow() + 1_000;
        ops.add(new Operation(ops.size(), 0, t, t + 10, Outcome.OK, new Action.RegisterWrite(X, -1)));
        ops.add(new Operation(ops.size(), 1, t + 20, t + 30, Outcome.OK, new Action.RegisterRead(X, -2L)));
        String anomaly = singleAnomaly(new RegisterChecker().check(new History(ops)));
        assertEquals(Set.of((long) ops.size() - 2, (long) ops.size() - 1), namedOps(anomaly));
    }

    @Test
    void agreesWithBruteForceOnSmallRandomHistories() {
        Random random = new Random(42);
        int valid = 0;
        int invalid = 0;
        for (int round = 0; round < 3_000; round++) {
            History history = randomSmallHistory(random);
            boolean expected = bruteForceLinearizable(history.operations());
            CheckResult result = new RegisterChecker().check(history);
            assertEquals(expected, result.valid(), () -> history.operations() + " -> " + result.anomalies());
            if (expected) {
                valid++;
            } else {
                invalid++;
                assertTrue(result.anomalies().getFirst().startsWith("register x: not linearizable: #"));
            }
        }
        assertTrue(valid > 300 && invalid > 300, "both verdicts exercised: " + valid + " / " + invalid);
    }

    /** Up to 6 operations of 3 clients on one key, values from a tiny domain, some INFO and FAIL. */
    private static History randomSmallHistory(Random random) {
        long[] processFree = new long[3];
        List<Operation> ops = new ArrayList<>();
        int count = 2 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            int process = random.nextInt(3);
            long invoke = processFree[process] + random.nextInt(10);
            long complete = invoke + random.nextInt(15);
            processFree[process] = complete + 1;
            int roll = random.nextInt(10);
            Outcome outcome = roll < 7 ? Outcome.OK : roll < 9 ? Outcome.INFO : Outcome.FAIL;
            long value = 1 + random.nextInt(3);
            Action action = switch (random.nextInt(3)) {
                case 0 -> new Action.RegisterRead(X, outcome != Outcome.OK || value == 3 ? null : value);
                case 1 -> new Action.RegisterWrite(X, value);
                default -> new Action.RegisterCas(X, value, 1 + random.nextInt(3));
            };
            ops.add(new Operation(i, process, invoke, complete, outcome, action));
        }
        return new History(ops);
    }

    /**
     * An independent oracle: some order of all OK operations and any subset of INFO writes and
     * cas in which no operation comes after one that completed before it was invoked, and that
     * replays correctly on a register starting absent.
     */
    private static boolean bruteForceLinearizable(List<Operation> ops) {
        List<Operation> required = ops.stream().filter(op -> op.outcome() == Outcome.OK).toList();
        List<Operation> optional = ops.stream().filter(op -> op.outcome() == Outcome.INFO
                && !(op.action() instanceof Action.RegisterRead)).toList();
        for (int subset = 0; subset < (1 << optional.size()); subset++) {
            List<Operation> chosen = new ArrayList<>(required);
            for (int i = 0; i < optional.size(); i++) {
                if ((subset & (1 << i)) != 0) {
                    chosen.add(optional.get(i));
                }
            }
            if (anyOrderReplays(chosen, new ArrayList<>(), new boolean[chosen.size()])) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyOrderReplays(List<Operation> chosen, List<Operation> order, boolean[] used) {
        if (order.size() == chosen.size()) {
            return respectsRealTime(order) && replays(order);
        }
        for (int i = 0; i < chosen.size(); i++) {
            if (!used[i]) {
                used[i] = true;
                order.add(chosen.get(i));
                boolean found = anyOrderReplays(chosen, order, used);
                order.removeLast();
                used[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean respectsRealTime(List<Operation> order) {
        for (int earlier = 0; earlier < order.size(); earlier++) {
            for (int later = earlier + 1; later < order.size(); later++) {
                if (order.get(later).precedes(order.get(earlier))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean replays(List<Operation> order) {
        Long value = null;
        for (Operation op : order) {
            switch (op.action()) {
                case Action.RegisterRead read -> {
                    if (!Objects.equals(read.observed(), value)) {
                        return false;
                    }
                }
                case Action.RegisterWrite write -> value = write.value();
                case Action.RegisterCas cas -> {
                    if (value == null || value != cas.expected()) {
                        return false;
                    }
                    value = cas.next();
                }
                default -> throw new IllegalStateException("not a register op: " + op);
            }
        }
        return true;
    }

    /**
     * A history of one register, {@code processes} clients running {@code count} random reads,
     * writes and compare-and-sets (some INFO, some FAIL) with overlapping intervals; each OK op
     * takes effect at a random instant inside its interval, so the history is linearizable.
     */
    private static History randomLinearizableHistory(Random random, int count, int processes) {
        record Planned(int process, long invoke, long complete, long point, Outcome outcome, int kind, long arg) {
        }
        long[] processFree = new long[processes];
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int process = random.nextInt(processes);
            long invoke = processFree[process] + random.nextInt(20);
            long complete = invoke + 1 + random.nextInt(60);
            processFree[process] = complete + 1;
            int roll = random.nextInt(20);
            Outcome outcome = roll == 0 ? Outcome.INFO : roll == 1 ? Outcome.FAIL : Outcome.OK;
            long point = invoke + random.nextLong(complete - invoke + 1);
            planned.add(new Planned(process, invoke, complete, point, outcome, random.nextInt(3), random.nextInt(5)));
        }
        // Apply the effects in linearization-point order to learn what reads saw and which cas held.
        List<Planned> byPoint = new ArrayList<>(planned);
        byPoint.sort((a, b) -> Long.compare(a.point(), b.point()));
        Map<Planned, Action> actions = new IdentityHashMap<>();
        Long value = null;
        long nextValue = 100;
        for (Planned p : byPoint) {
            boolean effective = p.outcome() == Outcome.OK || (p.outcome() == Outcome.INFO && p.arg() < 2);
            Action action;
            if (p.kind() == 0) {
                action = new Action.RegisterRead(X, p.outcome() == Outcome.OK ? value : null);
            } else if (p.kind() == 1 || value == null) {
                long written = nextValue++;
                action = new Action.RegisterWrite(X, written);
                value = effective ? written : value;
            } else {
                long written = nextValue++;
                action = new Action.RegisterCas(X, value, written);
                value = effective ? written : value;
            }
            actions.put(p, action);
        }
        planned.sort((a, b) -> Long.compare(a.invoke(), b.invoke()));
        List<Operation> ops = new ArrayList<>();
        for (Planned p : planned) {
            ops.add(new Operation(ops.size(), p.process(), p.invoke(), p.complete(), p.outcome(), actions.get(p)));
        }
        return new History(ops);
    }
}
