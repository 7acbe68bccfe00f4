package io.meridian.txn.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.txn.AbortReason;
import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The history checks on hand-made histories: a correct history passes every check, and each
 * anomaly the simulator exists to catch fails the check meant for it — a lost update, a
 * write-skew (G2) cycle, a real-time inversion that is serializable but not strictly so, a torn
 * multi-group read, a bank total that is not conserved, an early acknowledgement, a
 * non-increasing group timestamp, a lost commit, a read above safe time, a visible aborted
 * write, a wound by a younger transaction and a transaction that never finished. A checker that
 * cannot fail would pass all of these. (A snapshot that reads below an acknowledged write it
 * should see is caught too.)
 *
 * <p>The base history: accounts {@code a} and {@code b} (total 100) and list key {@code x};
 * {@code t1} transfers 10 from a to b at ts 100, {@code t2} and {@code t3} append 1 and 2 to x,
 * {@code t4} is wounded by the older {@code t5}, which transfers 10 more; snapshots read both
 * accounts and x.
 */
class HistoryCheckersTest {

    /** A history under construction, with its final stores and logs. */
    private static final class Hand {
        final History history = new History();
        final VersionModel model = new VersionModel();
        final List<LoggedCommand> log = new ArrayList<>();
        final List<String> leftovers = new ArrayList<>();
        final List<String> listKeys = new ArrayList<>(List.of("x"));

        Hand committed(String tag, long priority, long start, long end, long ts, List<KeyRead> reads, List<Write> writes) {
            history.add(new RwAttempt(tag, "logical-" + tag, priority, "n1", start, end, reads, writes,
                    new Outcome.Committed(ts)));
            writes.forEach(write -> model.put(write.key(), ts, write.value()));
            return this;
        }

        Hand snapshot(String id, long start, long end, long readTs, List<KeyRead> reads) {
            history.add(new SnapshotRead(id, "n2", start, end, readTs, reads, Optional.empty()));
            return this;
        }

        Observations observations() {
            return new Observations(history, model, log, leftovers, List.of(), List.of("a", "b"), 100, listKeys);
        }

        List<Violation> check() {
            return HistoryChecks.run(observations());
        }
    }

    private static Hand base() {
        Hand hand = new Hand();
        hand.model.put("a", 10, "50@init").put("b", 10, "50@init");
        hand.log.add(LoggedCommand.applied(1, 0, LoggedCommand.WRITE, 10));
        hand.log.add(LoggedCommand.applied(1, 1, LoggedCommand.LEASE, 50));
        hand.log.add(LoggedCommand.applied(1, 2, LoggedCommand.WRITE, 100));
        hand.log.add(LoggedCommand.applied(1, 3, LoggedCommand.PREPARE, 200));
        hand.log.add(LoggedCommand.applied(1, 4, LoggedCommand.COMMIT_TXN, 300));
        hand.committed("t1", 50, 50, 120, 100,
                List.of(KeyRead.of("a", "50@init", 10), KeyRead.of("b", "50@init", 10)),
                List.of(new Write("a", "40@t1"), new Write("b", "60@t1")));
        hand.snapshot("s1", 130, 140, 125, List.of(KeyRead.of("a", "40@t1", 100), KeyRead.of("b", "60@t1", 100)));
        hand.history.add(new SnapshotRead("s2", "n3", 145, 148, 125,
                List.of(KeyRead.of("a", "40@t1", 100), KeyRead.of("b", "60@t1", 100)), Optional.of("s1")));
        hand.committed("t2", 150, 150, 210, 200, List.of(KeyRead.absent("x")), List.of(new Write("x", "1@t2")));
        hand.committed("t3", 220, 220, 310, 300, List.of(KeyRead.of("x", "1@t2", 200)), List.of(new Write("x", "1,2@t3")));
        hand.snapshot("s3", 320, 340, 330, List.of(KeyRead.of("x", "1,2@t3", 300)));
        hand.history.add(new RwAttempt("t4", "logical-t4", 500, "n1", 400, 420, List.of(), List.of("a"), List.of(),
                new Outcome.Aborted(AbortReason.WOUNDED)));
        hand.committed("t5", 100, 390, 450, 440,
                List.of(KeyRead.of("a", "40@t1", 100), KeyRead.of("b", "60@t1", 100)),
                List.of(new Write("a", "30@t5"), new Write("b", "70@t5")));
        return hand;
    }

    private static void assertCaughtBy(String check, List<Violation> found) {
        assertTrue(found.stream().anyMatch(v -> v.check().equals(check)), "expected [" + check + "] among " + found);
    }

    @Test
    void aCorrectHistoryPassesEveryCheck() {
        assertEquals(List.of(), base().check());
    }

    @Test
    void aLostUpdateFailsSerializabilityAndTheListOrder() {
        Hand bank = base();
        bank.committed("t6", 460, 460, 510, 500,
                List.of(KeyRead.of("a", "30@t5", 440), KeyRead.of("b", "70@t5", 440)),
                List.of(new Write("a", "20@t6"), new Write("b", "80@t6")));
        // t7 read the same versions t6 overwrote, and wrote over t6's transfer.
        bank.committed("t7", 470, 470, 610, 600,
                List.of(KeyRead.of("a", "30@t5", 440), KeyRead.of("b", "70@t5", 440)),
                List.of(new Write("a", "25@t7"), new Write("b", "75@t7")));
        assertCaughtBy(SerializabilityCheck.NAME, bank.check());

        Hand lists = base();
        lists.committed("t8", 460, 460, 510, 500, List.of(KeyRead.of("x", "1,2@t3", 300)), List.of(new Write("x", "1,2,3@t8")));
        lists.committed("t9", 470, 470, 610, 600, List.of(KeyRead.of("x", "1,2@t3", 300)), List.of(new Write("x", "1,2,4@t9")));
        List<Violation> found = lists.check();
        assertCaughtBy(ListAppendCheck.NAME, found);
        assertTrue(found.stream().anyMatch(v -> v.message().contains("incompatible orders")), found.toString());
    }

    @Test
    void aWriteSkewCycleIsG2() {
        Hand hand = base();
        hand.listKeys.addAll(List.of("y", "z"));
        // Each read both lists empty and appended to one: either order would show one of the appends.
        hand.committed("t10", 1000, 1000, 1200, 1100, List.of(KeyRead.absent("y"), KeyRead.absent("z")),
                List.of(new Write("y", "10@t10")));
        hand.committed("t11", 1010, 1010, 1210, 1101, List.of(KeyRead.absent("y"), KeyRead.absent("z")),
                List.of(new Write("z", "11@t11")));
        hand.snapshot("s4", 1300, 1310, 1250, List.of(KeyRead.of("y", "10@t10", 1100), KeyRead.of("z", "11@t11", 1101)));
        List<Violation> found = hand.check();
        assertTrue(found.stream().anyMatch(v -> v.check().equals(ListAppendCheck.NAME) && v.message().startsWith("G2")),
                found.toString());
    }

    @Test
    void aRealTimeInversionIsSerializableButNotExternallyConsistent() {
        Hand hand = base();
        hand.listKeys.addAll(List.of("r", "s"));
        hand.committed("t12", 1900, 1900, 2050, 2000, List.of(KeyRead.absent("r")), List.of(new Write("r", "12@t12")));
        // Began after t12 was acknowledged, yet got a lower timestamp and missed t12's append.
        hand.committed("t13", 2100, 2100, 2200, 1990, List.of(KeyRead.absent("r"), KeyRead.absent("s")),
                List.of(new Write("s", "13@t13")));
        List<Violation> found = hand.check();
        assertCaughtBy(ExternalConsistencyCheck.NAME, found);
        assertTrue(found.stream().anyMatch(v -> v.check().equals(ListAppendCheck.NAME) && v.message().startsWith("real-time")),
                found.toString());
        assertFalse(found.stream().anyMatch(v -> v.check().equals(SerializabilityCheck.NAME)),
                "the inversion alone is serializable: " + found);
    }

    @Test
    void aSnapshotBelowAnEarlierAcknowledgedWriteItReadsFailsExternalConsistency() {
        Hand hand = base();
        hand.committed("t22", 2900, 2900, 3050, 3000, List.of(KeyRead.of("x", "1,2@t3", 300)),
                List.of(new Write("x", "1,2,22@t22")));
        // Began after t22 was acknowledged, and read x at a timestamp below t22's: consistent with
        // the stores at that timestamp, but it missed a write that finished before it started.
        hand.snapshot("s10", 3100, 3120, 2990, List.of(KeyRead.of("x", "1,2@t3", 300)));
        List<Violation> found = hand.check();
        assertCaughtBy(ExternalConsistencyCheck.NAME, found);
        assertFalse(found.stream().anyMatch(v -> v.check().equals(SnapshotReadCheck.NAME)), found.toString());
    }

    @Test
    void aTornMultiGroupReadFailsAtomicity() {
        Hand hand = base();
        hand.committed("t14", 3000, 2900, 3050, 3000,
                List.of(KeyRead.of("a", "30@t5", 440), KeyRead.of("b", "70@t5", 440)),
                List.of(new Write("a", "25@t14"), new Write("b", "75@t14")));
        hand.snapshot("s5", 3060, 3120, 3100, List.of(KeyRead.of("a", "25@t14", 3000), KeyRead.of("b", "70@t5", 440)));
        List<Violation> found = hand.check();
        assertCaughtBy(AtomicityCheck.NAME, found);
        assertCaughtBy(BankCheck.NAME, found);
    }

    @Test
    void aBankTotalThatIsNotConservedFails() {
        Hand hand = base();
        hand.committed("t15", 3000, 2900, 3050, 3000,
                List.of(KeyRead.of("a", "30@t5", 440), KeyRead.of("b", "70@t5", 440)),
                List.of(new Write("a", "25@t15"), new Write("b", "80@t15")));
        hand.snapshot("s6", 3060, 3120, 3100, List.of(KeyRead.of("a", "25@t15", 3000), KeyRead.of("b", "80@t15", 3000)));
        List<Violation> found = hand.check();
        assertCaughtBy(BankCheck.NAME, found);
        assertTrue(found.stream().allMatch(v -> v.check().equals(BankCheck.NAME)), "only the total is wrong: " + found);
    }

    @Test
    void anAcknowledgementBeforeTheCommitTimestampFailsCommitWait() {
        Hand hand = base();
        hand.committed("t16", 3000, 2900, 2990, 3000, List.of(KeyRead.absent("x2")), List.of(new Write("x2", "1@t16")));
        assertCaughtBy(CommitWaitCheck.NAME, hand.check());
    }

    @Test
    void aTimestampNotAboveTheGroupsLastFails() {
        Hand repeated = base();
        repeated.log.add(LoggedCommand.applied(1, 5, LoggedCommand.WRITE, 300));
        assertCaughtBy(LogTimestampCheck.NAME, repeated.check());

        Hand belowClosed = base();
        belowClosed.log.add(LoggedCommand.applied(1, 5, LoggedCommand.LEASE, 700));
        belowClosed.log.add(LoggedCommand.applied(1, 6, LoggedCommand.PREPARE, 650));
        assertCaughtBy(LogTimestampCheck.NAME, belowClosed.check());

        Hand stale = base();
        stale.log.add(new LoggedCommand(2, 0, LoggedCommand.WRITE, 90, false, "REJECT_REASON_STALE_TIMESTAMP"));
        assertCaughtBy(LogTimestampCheck.NAME, stale.check());
    }

    @Test
    void anAcknowledgedWriteMissingFromTheStoresFailsDurability() {
        Hand hand = base();
        hand.history.add(new RwAttempt("t17", "logical-t17", 3000, "n1", 2900, 3050,
                List.of(KeyRead.of("x", "1,2@t3", 300)), List.of(new Write("x", "1,2,17@t17")), new Outcome.Committed(3000)));
        assertCaughtBy(DurabilityCheck.NAME, hand.check());
    }

    @Test
    void aSnapshotServedAboveSafeTimeAndARepeatThatDiffersFail() {
        Hand hand = base();
        // At 500 the stores hold t5's versions (440); this read missed them.
        hand.snapshot("s7", 460, 520, 500, List.of(KeyRead.of("a", "40@t1", 100), KeyRead.of("b", "60@t1", 100)));
        hand.history.add(new SnapshotRead("s8", "n1", 530, 540, 500,
                List.of(KeyRead.of("a", "30@t5", 440), KeyRead.of("b", "70@t5", 440)), Optional.of("s7")));
        List<Violation> found = hand.check();
        assertTrue(found.stream().anyMatch(v -> v.check().equals(SnapshotReadCheck.NAME) && v.message().contains("t_safe")),
                found.toString());
        assertTrue(found.stream().anyMatch(v -> v.check().equals(SnapshotReadCheck.NAME) && v.message().contains("repeats")),
                found.toString());
    }

    @Test
    void aVisibleAbortedWriteFails() {
        Hand hand = base();
        hand.history.add(new RwAttempt("t18", "logical-t18", 3000, "n1", 2900, 3050,
                List.of(KeyRead.of("x", "1,2@t3", 300)), List.of(new Write("x", "1,2,18@t18")),
                new Outcome.Aborted(AbortReason.DECIDED)));
        hand.model.put("x", 3000, "1,2,18@t18");
        hand.snapshot("s9", 3100, 3110, 3105, List.of(KeyRead.of("x", "1,2,18@t18", 3000)));
        List<Violation> found = hand.check();
        assertCaughtBy(AtomicityCheck.NAME, found);
        assertTrue(found.stream().anyMatch(v -> v.message().startsWith("G1a")), found.toString());
    }

    @Test
    void aWoundByAYoungerTransactionAndUnfinishedWorkFailLiveness() {
        Hand wounded = base();
        // Only t5 (older, but long over by then) and t19 (younger) touched a around t20's attempt.
        wounded.history.add(new RwAttempt("t19", "logical-t19", 9_000_000, "n1", 4_000_000, 4_000_100, List.of(),
                List.of("a"), List.of(), new Outcome.Abandoned("rolled back")));
        wounded.history.add(new RwAttempt("t20", "logical-t20", 3_500_000, "n1", 4_000_000, 4_000_050, List.of(),
                List.of("a"), List.of(), new Outcome.Aborted(AbortReason.WOUNDED)));
        assertCaughtBy(LivenessCheck.NAME, wounded.check());

        Hand stuck = base();
        stuck.history.add(new RwAttempt("t21", "logical-t21", 5000, "n1", 5000, Long.MAX_VALUE, List.of(),
                List.of("b"), List.of(), new Outcome.Unfinished()));
        assertCaughtBy(LivenessCheck.NAME, stuck.check());

        Hand leftover = base();
        leftover.leftovers.add("group-1 at n1 still holds prepared txn-1");
        assertCaughtBy(LivenessCheck.NAME, leftover.check());
    }
}
