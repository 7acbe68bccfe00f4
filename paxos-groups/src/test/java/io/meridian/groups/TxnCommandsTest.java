package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.GROUP;
import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static io.meridian.groups.TestCommands.assertReject;
import static io.meridian.groups.TestCommands.commitTxn;
import static io.meridian.groups.TestCommands.delete;
import static io.meridian.groups.TestCommands.deleteRange;
import static io.meridian.groups.TestCommands.forget;
import static io.meridian.groups.TestCommands.freeze;
import static io.meridian.groups.TestCommands.init;
import static io.meridian.groups.TestCommands.lease;
import static io.meridian.groups.TestCommands.prepare;
import static io.meridian.groups.TestCommands.put;
import static io.meridian.groups.TestCommands.reply;
import static io.meridian.groups.TestCommands.resolve;
import static io.meridian.groups.TestCommands.txnId;
import static io.meridian.groups.TestCommands.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.Prepare;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.TxnId;
import io.meridian.storage.Version;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.truetime.Timestamp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows what the two-phase-commit commands do on one replica over a real LMDB store: a
 * {@code Prepare} keeps its writes aside (invisible) and is refused after a decision, past its
 * deadline, on a stale timestamp, outside the ranges or over another prepared transaction's
 * writes; a participant's {@code ResolveTxn} applies the writes at the commit timestamp (even
 * below {@code lastTs}) or drops them; the coordinator's {@code CommitTxn} writes and records the
 * decision, and records an abort for every refusal; the first decision always wins and repeated
 * commands answer with it; {@code Write}s and freezes overlapping prepared writes are refused
 * ({@code LOCK_CONFLICT}); {@code ForgetTxns} drops records only; and prepared transactions and
 * records survive a reopen and travel in snapshots.
 */
class TxnCommandsTest {

    private static final RangeState LEFT = range(1, "b", "m");
    private static final RangeState RIGHT = range(2, "m", "t");
    private static final long COORDINATOR = 9;
    private static final long DEADLINE = 10_000;

    @TempDir
    Path dir;

    private LmdbMvccStore store;
    private RangeStateMachine machine;
    private long nextIndex;

    @BeforeEach
    void open() {
        store = TestStores.open(dir, "main");
        machine = new RangeStateMachine(GROUP, store);
        apply(init(GROUP, false, LEFT, RIGHT));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPrepareKeepsItsWritesAsideAndARepeatedOneAnswersTheFirstTimestamp() {
        apply(write(100, put("c", "old")));
        CommandReply prepared = apply(prepare(1, 200, COORDINATOR, DEADLINE, put("c", "new"), put("d", "new")));
        assertEquals(200, prepared.getApplied().getTsMicros());
        assertEquals(new Timestamp(200), machine.state().lastTs(), "a prepare timestamp is assigned like a write's");
        assertEquals(bytes("old"), valueAt("c", Long.MAX_VALUE), "prepared writes are invisible");
        assertEquals(Optional.empty(), store.get(bytes("d"), Timestamp.MAX));
        PreparedTxn stored = store.preparedTxns(GROUP).get(0);
        assertEquals(new PreparedTxn(new TxnId(0, 1), new Timestamp(200), new GroupId(COORDINATOR),
                List.of(new io.meridian.storage.Mutation.Put(bytes("c"), bytes("new")),
                        new io.meridian.storage.Mutation.Put(bytes("d"), bytes("new"))), new Timestamp(DEADLINE)), stored);
        assertEquals(List.of(stored), List.copyOf(machine.state().txns().prepared().values()));
        assertEquals(Optional.of(new Timestamp(200)), machine.state().txns().minPrepareTs());

        GroupState before = machine.state();
        CommandReply again = apply(prepare(1, 300, COORDINATOR, DEADLINE, put("c", "other")));
        assertEquals(200, again.getApplied().getTsMicros());
        assertEquals(before.withAppliedIndex(machine.appliedIndex()), machine.state(), "a repeated prepare changes nothing");
    }

    @Test
    void aPrepareIsRefusedAfterADecisionPastItsDeadlineOnAStaleTimestampAndOutsideServedRanges() {
        apply(write(100, put("c", "1")));
        assertReject(RejectReason.REJECT_REASON_STALE_TIMESTAMP, apply(prepare(1, 100, COORDINATOR, DEADLINE, put("d", "x"))));
        assertReject(RejectReason.REJECT_REASON_TXN_DEADLINE, apply(prepare(1, 200, COORDINATOR, 199, put("d", "x"))));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, apply(prepare(1, 200, COORDINATOR, DEADLINE, put("z", "x"))));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE,
                apply(prepare(1, 200, COORDINATOR, DEADLINE, deleteRange("l", "u"))));
        apply(freeze(RIGHT.getRangeId()));
        assertReject(RejectReason.REJECT_REASON_RANGE_FROZEN, apply(prepare(1, 200, COORDINATOR, DEADLINE, put("n", "x"))));
        assertTrue(machine.state().txns().prepared().isEmpty());
        assertEquals(new Timestamp(100), machine.state().lastTs(), "refusals change nothing");

        assertTrue(apply(resolve(1, false, 0, DEADLINE)).hasApplied());
        assertReject(RejectReason.REJECT_REASON_TXN_FINISHED, apply(prepare(1, 300, COORDINATOR, DEADLINE, put("d", "x"))));
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(GroupCommand.newBuilder().setPrepare(Prepare.newBuilder()
                .setTxnId(ByteString.copyFromUtf8("short")).setPrepareTsMicros(400).setDeadlineMicros(DEADLINE))
                .build().toByteString()));
    }

    @Test
    void writesOverlappingAnotherPreparedTransactionAreLockConflictsKeysAndRangesBothWays() {
        apply(prepare(1, 100, COORDINATOR, DEADLINE, put("c", "1")));
        apply(prepare(2, 110, COORDINATOR, DEADLINE, deleteRange("p", "s")));
        // A delete_range over a prepared key; a key inside a prepared delete_range.
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(write(200, deleteRange("b", "d"))));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(write(201, put("q", "x"))));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(write(202, put("e", "x"), delete("c"))));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(prepare(3, 203, COORDINATOR, DEADLINE, put("c", "3"))));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT,
                apply(prepare(3, 204, COORDINATOR, DEADLINE, deleteRange("r", "t"))));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(commitTxn(4, 205, List.of(), DEADLINE, put("p", "4"))));
        assertEquals(Optional.empty(), store.get(bytes("e"), Timestamp.MAX), "a refused write writes nothing");
        // Next to the prepared writes, not on them: "cc" and "s" (the end of [p, s)) are free.
        assertTrue(apply(write(300, put("cc", "x"), put("s", "x"), deleteRange("d", "o"))).hasApplied());
        assertTrue(apply(prepare(5, 301, COORDINATOR, DEADLINE, put("o", "5"))).hasApplied());

        apply(resolve(1, false, 0, DEADLINE));
        apply(resolve(2, true, 400, DEADLINE));
        assertTrue(apply(write(500, put("c", "free"), put("q", "free"))).hasApplied());
    }

    @Test
    void aParticipantCommitAppliesThePreparedWritesAtTheCommitTimestampEvenBelowLastTs() {
        apply(write(100, put("c", "old"), put("n", "old"), put("o", "old")));
        apply(prepare(1, 200, COORDINATOR, DEADLINE, put("c", "new"), deleteRange("n", "p")));
        apply(lease("n1", 1, 50_000, 500));
        assertEquals(new Timestamp(500), machine.state().lastTs());

        CommandReply committed = apply(resolve(1, true, 300, DEADLINE));
        TxnRecord record = TxnRecord.newBuilder().setTxnId(txnId(1)).setCommitted(true).setCommitTsMicros(300)
                .setDeadlineMicros(DEADLINE).build();
        assertEquals(record, committed.getApplied().getTxn());
        assertEquals(300, committed.getApplied().getTsMicros());
        assertEquals(bytes("old"), valueAt("c", 299));
        assertEquals(bytes("new"), valueAt("c", 300));
        assertEquals(Optional.empty(), store.get(bytes("n"), new Timestamp(300)));
        assertEquals(Optional.empty(), store.get(bytes("o"), new Timestamp(300)));
        assertEquals(new Timestamp(500), machine.state().lastTs(), "lastTs stays the highest applied timestamp");
        assertTrue(machine.state().txns().prepared().isEmpty());
        assertEquals(List.of(), store.preparedTxns(GROUP));
        assertEquals(record, machine.state().txns().record(new TxnId(0, 1)).orElseThrow());
        assertEquals(record.toByteString(), store.metadata(GROUP, "txn/" + new TxnId(0, 1).hex()).orElseThrow());

        // A commit above lastTs raises it; one below its prepare timestamp is a bug, refused.
        apply(prepare(2, 600, COORDINATOR, DEADLINE, put("d", "2")));
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(resolve(2, true, 599, DEADLINE)));
        apply(resolve(2, true, 700, DEADLINE));
        assertEquals(new Timestamp(700), machine.state().lastTs());
        assertEquals(bytes("2"), valueAt("d", 700));
    }

    @Test
    void theFirstDecisionWinsAndRepeatedDecisionsAnswerWithIt() {
        apply(prepare(1, 100, COORDINATOR, DEADLINE, put("c", "1")));
        TxnRecord aborted = apply(resolve(1, false, 0, DEADLINE)).getApplied().getTxn();
        assertFalse(aborted.getCommitted());
        assertEquals(Optional.empty(), store.get(bytes("c"), Timestamp.MAX), "an abort drops the prepared writes");
        assertEquals(aborted, apply(resolve(1, true, 200, DEADLINE)).getApplied().getTxn(), "commit after abort");
        assertEquals(Optional.empty(), store.get(bytes("c"), Timestamp.MAX));
        assertReject(RejectReason.REJECT_REASON_TXN_ABORTED, apply(commitTxn(1, 300, List.of(), DEADLINE, put("d", "1"))));

        apply(prepare(2, 400, COORDINATOR, DEADLINE, put("e", "2")));
        TxnRecord committed = apply(resolve(2, true, 500, DEADLINE)).getApplied().getTxn();
        GroupState settled = machine.state();
        assertEquals(committed, apply(resolve(2, false, 0, DEADLINE)).getApplied().getTxn(), "abort after commit");
        assertEquals(committed, apply(resolve(2, true, 600, DEADLINE)).getApplied().getTxn(), "a repeated commit");
        assertEquals(settled.withAppliedIndex(machine.appliedIndex()), machine.state());
        assertEquals(List.of(new Version(bytes("e"), bytes("2"), new Timestamp(500))), scanAll());
    }

    @Test
    void theCoordinatorCommitsItsWritesAndRecordsTheDecisionWithItsParticipants() {
        CommandReply reply = apply(commitTxn(1, 200, List.of(4L, 5L), DEADLINE, put("c", "1"), put("n", "1")));
        TxnRecord record = reply.getApplied().getTxn();
        assertEquals(TxnRecord.newBuilder().setTxnId(txnId(1)).setCommitted(true).setCommitTsMicros(200)
                .addParticipantGroups(4).addParticipantGroups(5).setDeadlineMicros(DEADLINE).build(), record);
        assertEquals(new Timestamp(200), machine.state().lastTs());
        assertEquals(bytes("1"), valueAt("n", 200));
        assertEquals(Optional.empty(), store.get(bytes("n"), new Timestamp(199)));

        CommandReply again = apply(commitTxn(1, 300, List.of(4L, 5L), DEADLINE, put("c", "again")));
        assertEquals(record, again.getApplied().getTxn());
        assertEquals(200, again.getApplied().getTsMicros());
        assertEquals(bytes("1"), valueAt("c", Long.MAX_VALUE), "a repeated commit writes nothing");
        assertEquals(record, apply(resolve(1, false, 0, DEADLINE)).getApplied().getTxn(), "a late abort loses");
    }

    @Test
    void everyRefusedCoordinatorCommitRecordsAnAbortSoNoLaterCommitSucceeds() {
        apply(write(100, put("c", "1")));
        List<ByteString> refused = List.of(
                commitTxn(1, 200, List.of(4L), 150, put("d", "1")),       // past its deadline
                commitTxn(2, 100, List.of(4L), DEADLINE, put("d", "2")),  // stale timestamp
                commitTxn(3, 200, List.of(4L), DEADLINE, put("z", "3")));  // wrong range
        List<RejectReason> reasons = List.of(RejectReason.REJECT_REASON_TXN_DEADLINE,
                RejectReason.REJECT_REASON_STALE_TIMESTAMP, RejectReason.REJECT_REASON_WRONG_RANGE);
        for (int i = 0; i < refused.size(); i++) {
            long txn = i + 1;
            assertReject(reasons.get(i), apply(refused.get(i)));
            TxnRecord record = machine.state().txns().record(new TxnId(0, txn)).orElseThrow();
            assertFalse(record.getCommitted());
            assertEquals(List.of(4L), record.getParticipantGroupsList(), "the participants are told the abort");
            assertReject(RejectReason.REJECT_REASON_TXN_ABORTED,
                    apply(commitTxn(txn, 300 + txn, List.of(4L), DEADLINE, put("d", "x"))));
        }
        assertEquals(Optional.empty(), store.get(bytes("d"), Timestamp.MAX));
        assertEquals(new Timestamp(100), machine.state().lastTs());

        // An abort decided before the commit arrives (the coordinator gave up) wins too.
        TxnRecord abort = apply(resolve(7, false, 0, DEADLINE)).getApplied().getTxn();
        assertEquals(TxnRecord.newBuilder().setTxnId(txnId(7)).setDeadlineMicros(DEADLINE).build(), abort);
        assertReject(RejectReason.REJECT_REASON_TXN_ABORTED, apply(commitTxn(7, 400, List.of(), DEADLINE, put("d", "7"))));
    }

    @Test
    void aCommitResolvedWhereNothingIsPreparedIsEchoedButNotRecorded() {
        CommandReply reply = apply(resolve(1, true, 300, DEADLINE));
        assertEquals(TxnRecord.newBuilder().setTxnId(txnId(1)).setCommitted(true).setCommitTsMicros(300)
                .setDeadlineMicros(DEADLINE).build(), reply.getApplied().getTxn());
        assertEquals(GroupTxns.EMPTY, machine.state().txns());
        assertEquals(Timestamp.MIN, machine.state().lastTs());
    }

    @Test
    void forgettingDropsDecisionRecordsButNeverPreparedTransactions() {
        apply(commitTxn(1, 100, List.of(), DEADLINE, put("c", "1")));
        apply(resolve(2, false, 0, DEADLINE));
        apply(prepare(3, 200, COORDINATOR, DEADLINE, put("d", "3")));
        assertEquals(2, store.metadataWithPrefix(GROUP, "txn/").size());

        assertTrue(apply(forget(1, 3, 99)).hasApplied());
        assertEquals(List.of(new TxnId(0, 2)), List.copyOf(machine.state().txns().records().keySet()));
        assertEquals(List.of(new TxnId(0, 3)), List.copyOf(machine.state().txns().prepared().keySet()));
        assertEquals(1, store.metadataWithPrefix(GROUP, "txn/").size());
        assertEquals(1, store.preparedTxns(GROUP).size());
        assertEquals(bytes("1"), valueAt("c", 100), "forgetting a decision keeps its writes");
    }

    @Test
    void eachChangeStoresOnlyTheTransactionsItTouchedAndAReopenSeesTheSameState() throws IOException {
        for (int i = 1; i <= 50; i++) {
            apply(commitTxn(i, 100 + i, List.of(), DEADLINE, put("c" + i, "v")));
        }
        GroupTxns before = machine.state().txns();
        apply(prepare(60, 300, COORDINATOR, DEADLINE, put("d", "60")));
        GroupTxns prepared = machine.state().txns();
        assertEquals(Set.of(new TxnId(0, 60)), prepared.changedSince(before), "one Prepare touches one transaction");
        assertEquals(51, prepared.changedSince(GroupTxns.EMPTY).size(), "from an unrelated state: every transaction");
        apply(resolve(60, true, 400, DEADLINE));
        apply(forget(java.util.stream.LongStream.rangeClosed(1, 10).toArray()));
        GroupTxns txns = machine.state().txns();
        assertEquals(41, txns.records().size());
        assertEquals(0, txns.prepared().size());

        reopen();
        assertEquals(txns, machine.state().txns());
        assertEquals(41, store.metadataWithPrefix(GROUP, "txn/").size());
        assertEquals(0, store.preparedTxns(GROUP).size());
    }

    @Test
    void aRangeHoldingPreparedWritesDoesNotFreezeUntilTheyAreResolved() {
        apply(prepare(1, 100, COORDINATOR, DEADLINE, put("n", "1")));
        assertReject(RejectReason.REJECT_REASON_LOCK_CONFLICT, apply(freeze(RIGHT.getRangeId())));
        assertTrue(apply(freeze(LEFT.getRangeId())).hasApplied(), "the other range has no prepared writes");
        apply(resolve(1, true, 150, DEADLINE));
        CommandReply frozen = apply(freeze(RIGHT.getRangeId()));
        assertEquals(150, frozen.getApplied().getTsMicros(), "frozen_at covers the resolved commit");
    }

    @Test
    void preparedTransactionsAndRecordsSurviveAReopenAndTravelInASnapshot() throws IOException {
        apply(prepare(1, 100, COORDINATOR, DEADLINE, put("c", "1"), deleteRange("n", "p")));
        apply(commitTxn(2, 200, List.of(4L), DEADLINE, put("d", "2")));
        apply(resolve(3, false, 0, DEADLINE));
        GroupTxns txns = machine.state().txns();
        assertEquals(1, txns.prepared().size());
        assertEquals(2, txns.records().size());

        reopen();
        assertEquals(txns, machine.state().txns());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        machine.writeSnapshot(out);
        try (LmdbMvccStore fresh = TestStores.open(dir, "fresh")) {
            RangeStateMachine copy = new RangeStateMachine(GROUP, fresh);
            copy.installSnapshot(new ByteArrayInputStream(out.toByteArray()));
            assertEquals(machine.state(), copy.state());
            assertEquals(txns, copy.state().txns());
            // The copy resolves the prepared transaction exactly as the original does.
            ByteString decision = resolve(1, true, 300, DEADLINE);
            assertEquals(machine.apply(nextIndex, 1, decision), copy.apply(nextIndex, 1, decision));
            nextIndex++;
            assertEquals(fresh.scan(KeySpan.ALL, Timestamp.MAX, 10, ScanDirection.FORWARD),
                    store.scan(KeySpan.ALL, Timestamp.MAX, 10, ScanDirection.FORWARD));
            assertEquals(bytes("1"), fresh.get(bytes("c"), new Timestamp(300)).orElseThrow().value());
        }
    }

    private ByteString valueAt(String key, long micros) {
        return store.get(bytes(key), new Timestamp(micros)).orElseThrow().value();
    }

    private List<Version> scanAll() {
        return store.scan(KeySpan.ALL, Timestamp.MAX, 100, ScanDirection.FORWARD).rows();
    }

    private CommandReply apply(ByteString command) {
        return reply(machine.apply(nextIndex++, 1, command));
    }

    /** Closes the store and opens it again with a new state machine, as a restart does. */
    private void reopen() {
        store.close();
        store = TestStores.open(dir, "main");
        machine = new RangeStateMachine(GROUP, store);
    }
}
