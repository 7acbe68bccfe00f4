package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommitTxn;
import io.meridian.api.internal.v1.ForgetTxns;
import io.meridian.api.internal.v1.Prepare;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.ResolveTxn;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the two-phase-commit commands for {@link CommandOutcomes}: {@code Prepare} at a
 * participant, {@code CommitTxn} at the coordinator, {@code ResolveTxn} and {@code ForgetTxns}
 * anywhere. Pure functions of the command and the applied state; the transaction state lives in
 * {@link GroupState#txns()} and {@link RangeStateMachine} persists its changes with the command.
 *
 * <p>Rules (the proto comments in {@code group_commands.proto} are the wire contract):
 * <ul>
 *   <li><b>First decision wins.</b> Once a group records a decision for a transaction, no
 *       later command changes it: a repeated {@code CommitTxn} or {@code ResolveTxn} replies with
 *       the recorded one, a {@code CommitTxn} after an abort is refused ({@code TXN_ABORTED}), a
 *       {@code Prepare} after any decision is refused ({@code TXN_FINISHED}).</li>
 *   <li><b>Locks survive leader changes.</b> A {@code Write}, {@code Prepare} or {@code CommitTxn}
 *       whose mutations share a key with another prepared transaction's writes is refused
 *       ({@code LOCK_CONFLICT}): the lock table lives in the leader's memory, the prepared
 *       records in every replica.</li>
 *   <li><b>Timestamps.</b> Prepare and coordinator commit timestamps are assigned like write
 *       timestamps and must lie above {@code lastTs} ({@code STALE_TIMESTAMP}); a participant's
 *       commit lands at the coordinator's timestamp, at or above its prepare timestamp, possibly
 *       below {@code lastTs} (t_safe held reads back there); every one raises {@code lastTs}.</li>
 * </ul>
 */
final class TxnCommands {

    private TxnCommands() {
    }

    /** Participant: keeps the transaction's writes prepared, or refuses (nothing prepared). */
    static CommandOutcomes.Outcome prepare(GroupState current, Prepare prepare) {
        TxnId id;
        List<Mutation> writes;
        Timestamp prepareTs;
        Timestamp deadline;
        try {
            id = TxnId.fromBytes(prepare.getTxnId());
            writes = CommandOutcomes.toStorage(prepare.getWritesList());
            prepareTs = new Timestamp(prepare.getPrepareTsMicros());
            deadline = new Timestamp(prepare.getDeadlineMicros());
        } catch (IllegalArgumentException e) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid("Prepare: " + e.getMessage()));
        }
        GroupTxns txns = current.txns();
        if (txns.record(id).isPresent()) {
            return CommandOutcomes.Outcome.rejected(current, new Rejection(RejectReason.REJECT_REASON_TXN_FINISHED,
                    id + " is already " + (txns.record(id).get().getCommitted() ? "committed" : "aborted") + " here"));
        }
        Optional<PreparedTxn> earlier = txns.prepared(id);
        if (earlier.isPresent()) {
            return CommandOutcomes.Outcome.applied(current, earlier.get().prepareTs().micros(), List.of());
        }
        Optional<Rejection> refusal = CommandOutcomes.writeRefusal(current, writes);
        if (refusal.isPresent()) {
            return CommandOutcomes.Outcome.rejected(current, refusal.get());
        }
        if (!prepareTs.isAfter(current.lastTs())) {
            return CommandOutcomes.Outcome.rejected(current, CommandOutcomes.staleTimestamp("prepare", prepareTs, current));
        }
        if (prepareTs.isAfter(deadline)) {
            return CommandOutcomes.Outcome.rejected(current, pastDeadline(id, "prepare", prepareTs, deadline));
        }
        Optional<Rejection> locked = CommandOutcomes.lockConflict(current, writes);
        if (locked.isPresent()) {
            return CommandOutcomes.Outcome.rejected(current, locked.get());
        }
        PreparedTxn prepared = new PreparedTxn(id, prepareTs, new GroupId(prepare.getCoordinatorGroup()), writes,
                deadline);
        GroupState next = current.withLastTsAtLeast(prepareTs).withTxns(txns.withPrepared(prepared));
        return CommandOutcomes.Outcome.applied(next, prepareTs.micros(), List.of());
    }

    /**
     * Coordinator: commits its own writes and records the decision, or refuses. Every refusal of a
     * transaction with a readable id that has no decision yet records it as aborted (with the
     * participants, so they are told), so a later commit attempt can never succeed.
     */
    static CommandOutcomes.Outcome commit(GroupState current, CommitTxn commit) {
        TxnId id;
        try {
            id = TxnId.fromBytes(commit.getTxnId());
        } catch (IllegalArgumentException e) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid("CommitTxn: " + e.getMessage()));
        }
        GroupTxns txns = current.txns();
        Optional<TxnRecord> decided = txns.record(id);
        if (decided.isPresent()) {
            TxnRecord record = decided.get();
            if (!record.getCommitted()) {
                return CommandOutcomes.Outcome.rejected(current, new Rejection(RejectReason.REJECT_REASON_TXN_ABORTED,
                        id + " was decided aborted before this commit"));
            }
            return CommandOutcomes.Outcome.appliedTxn(current, record.getCommitTsMicros(), record, List.of(),
                    Optional.empty());
        }
        if (txns.prepared(id).isPresent()) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid(id
                    + " is prepared in this group, so this group cannot coordinate it"));
        }
        TxnRecord aborted = TxnRecord.newBuilder().setTxnId(id.toBytes()).setCommitted(false)
                .addAllParticipantGroups(commit.getParticipantGroupsList())
                .setDeadlineMicros(commit.getDeadlineMicros()).build();
        GroupState abortedState = current.withTxns(txns.decided(id, aborted));
        List<Mutation> writes;
        Timestamp commitTs;
        Timestamp deadline;
        try {
            writes = CommandOutcomes.toStorage(commit.getWritesList());
            commitTs = new Timestamp(commit.getCommitTsMicros());
            deadline = new Timestamp(commit.getDeadlineMicros());
        } catch (IllegalArgumentException e) {
            return CommandOutcomes.Outcome.rejectedInto(current, abortedState,
                    Rejection.invalid("CommitTxn: " + e.getMessage()));
        }
        Optional<Rejection> refusal = CommandOutcomes.writeRefusal(current, writes);
        if (refusal.isEmpty() && !commitTs.isAfter(current.lastTs())) {
            refusal = Optional.of(CommandOutcomes.staleTimestamp("commit", commitTs, current));
        }
        if (refusal.isEmpty() && commitTs.isAfter(deadline)) {
            refusal = Optional.of(pastDeadline(id, "commit", commitTs, deadline));
        }
        if (refusal.isEmpty()) {
            refusal = CommandOutcomes.lockConflict(current, writes);
        }
        if (refusal.isPresent()) {
            return CommandOutcomes.Outcome.rejectedInto(current, abortedState, refusal.get());
        }
        TxnRecord committed = aborted.toBuilder().setCommitted(true).setCommitTsMicros(commitTs.micros()).build();
        GroupState next = current.withLastTsAtLeast(commitTs).withTxns(txns.decided(id, committed));
        return CommandOutcomes.Outcome.appliedTxn(next, commitTs.micros(), committed, writes, Optional.of(commitTs));
    }

    /**
     * Applies a decision: the prepared writes at the commit timestamp, or their removal, at a
     * participant; an abort record where nothing is prepared. Replies with the decision the group
     * holds afterwards.
     */
    static CommandOutcomes.Outcome resolve(GroupState current, ResolveTxn resolve) {
        TxnId id;
        Timestamp commitTs;
        try {
            id = TxnId.fromBytes(resolve.getTxnId());
            commitTs = new Timestamp(resolve.getCommitTsMicros());
        } catch (IllegalArgumentException e) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid("ResolveTxn: " + e.getMessage()));
        }
        GroupTxns txns = current.txns();
        Optional<TxnRecord> decided = txns.record(id);
        if (decided.isPresent()) {
            return reply(current, decided.get());
        }
        Optional<PreparedTxn> prepared = txns.prepared(id);
        TxnRecord.Builder record = TxnRecord.newBuilder().setTxnId(id.toBytes())
                .setDeadlineMicros(recordDeadline(resolve, prepared));
        if (prepared.isEmpty()) {
            if (resolve.getCommitted()) {
                // Nothing to apply: a commit resolved here before and forgotten since (a coordinator
                // decides commits only by CommitTxn). Recording it would claim writes that are not
                // here; recording an abort would contradict the coordinator. Echo it, keep nothing.
                return reply(current, record.setCommitted(true).setCommitTsMicros(commitTs.micros()).build());
            }
            TxnRecord aborted = record.setCommitted(false).build();
            return reply(current.withTxns(txns.decided(id, aborted)), aborted);
        }
        if (!resolve.getCommitted()) {
            TxnRecord aborted = record.setCommitted(false).build();
            return reply(current.withTxns(txns.decided(id, aborted)), aborted);
        }
        if (commitTs.isBefore(prepared.get().prepareTs())) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid("commit timestamp " + commitTs
                    + " of " + id + " is below its prepare timestamp " + prepared.get().prepareTs()));
        }
        TxnRecord committed = record.setCommitted(true).setCommitTsMicros(commitTs.micros()).build();
        GroupState next = current.withLastTsAtLeast(commitTs).withTxns(txns.decided(id, committed));
        return CommandOutcomes.Outcome.appliedTxn(next, commitTs.micros(), committed, prepared.get().writes(),
                Optional.of(commitTs));
    }

    /** Drops the decision records of the listed transactions; prepared ones stay. */
    static CommandOutcomes.Outcome forget(GroupState current, ForgetTxns forget) {
        List<TxnId> ids = new ArrayList<>();
        try {
            for (ByteString id : forget.getTxnIdsList()) {
                ids.add(TxnId.fromBytes(id));
            }
        } catch (IllegalArgumentException e) {
            return CommandOutcomes.Outcome.rejected(current, Rejection.invalid("ForgetTxns: " + e.getMessage()));
        }
        GroupTxns next = current.txns().forgetting(ids);
        long forgotten = current.txns().records().size() - next.records().size();
        return CommandOutcomes.Outcome.applied(current.withTxns(next), forgotten, List.of());
    }

    private static CommandOutcomes.Outcome reply(GroupState next, TxnRecord record) {
        return CommandOutcomes.Outcome.appliedTxn(next, record.getCommitted() ? record.getCommitTsMicros() : 0,
                record, List.of(), Optional.empty());
    }

    /** The resolve's deadline, or the prepared transaction's when the resolve carries none. */
    private static long recordDeadline(ResolveTxn resolve, Optional<PreparedTxn> prepared) {
        if (resolve.getDeadlineMicros() != 0) {
            return resolve.getDeadlineMicros();
        }
        return prepared.map(PreparedTxn::deadline).filter(deadline -> !deadline.equals(Timestamp.MAX))
                .map(Timestamp::micros).orElse(0L);
    }

    private static Rejection pastDeadline(TxnId id, String what, Timestamp ts, Timestamp deadline) {
        return new Rejection(RejectReason.REJECT_REASON_TXN_DEADLINE, what + " timestamp " + ts + " of " + id
                + " is past its deadline " + deadline);
    }
}
