package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CommitTxn;
import io.meridian.api.internal.v1.ForgetTxns;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.Prepare;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.ResolveTxn;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated steps of two-phase commit at one replica, for {@link RangeGroupReplica}:
 * proposes {@code Prepare}, {@code CommitTxn}, {@code ResolveTxn} and {@code ForgetTxns} with
 * the timestamps and checks {@link GroupReplica} documents. The lock table and the protocol
 * around these steps live above, in {@code io.meridian.txn}.
 *
 * <p>Thread-safe. Methods report failures through their futures.
 */
final class TxnSteps {

    private final GroupEnvironment env;
    private final ReplicatedLog log;
    private final LeaderLease lease;
    private final RangeStateMachine stateMachine;

    TxnSteps(GroupEnvironment env, ReplicatedLog log, LeaderLease lease, RangeStateMachine stateMachine) {
        this.env = env;
        this.log = log;
        this.lease = lease;
        this.stateMachine = stateMachine;
    }

    /** See {@link GroupReplica#prepare}. A transaction already prepared here completes at once. */
    CompletableFuture<Timestamp> prepare(TxnId txn, List<Mutation> writes, GroupId coordinator, Timestamp deadline) {
        try {
            List<Mutation> copy = List.copyOf(writes);
            GroupState state = stateMachine.state();
            Optional<PreparedTxn> prepared = state.txns().prepared(txn);
            if (prepared.isPresent()) {
                lease.requireLease();
                return CompletableFuture.completedFuture(prepared.get().prepareTs());
            }
            GroupRanges.requireWritable(state.ranges(), copy);
            stateMachine.checkPrepareLimits(new PreparedTxn(txn, Timestamp.MIN, coordinator, copy, deadline));
            Prepare.Builder prepare = Prepare.newBuilder().setTxnId(txn.toBytes())
                    .setCoordinatorGroup(coordinator.value()).setDeadlineMicros(deadline.micros())
                    .addAllWrites(copy.stream().map(Mutations::toWire).toList());
            LeaderLease.Assigned assigned;
            try {
                assigned = lease.proposeAtNextTimestamp(new LeaderLease.Bounds(Timestamp.MIN, deadline, false),
                        ts -> GroupCommand.newBuilder().setPrepare(prepare.setPrepareTsMicros(ts.micros())).build());
            } catch (CommitBoundException e) {
                throw new CommandRejectedException(RejectReason.REJECT_REASON_TXN_DEADLINE, "the next prepare timestamp "
                        + e.next() + " of " + txn + " is past its deadline " + deadline + "; nothing was proposed",
                        state.ranges());
            }
            return CommandReplies.onApplied(assigned.reply(), applied -> new Timestamp(applied.getTsMicros()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** See {@link GroupReplica#commitTxn}. */
    CompletableFuture<TxnRecord> commitTxn(TxnId txn, List<Mutation> writes, List<GroupId> participants,
            Timestamp minTs, Timestamp maxTs, Timestamp deadline) {
        try {
            List<Mutation> copy = List.copyOf(writes);
            GroupRanges.requireWritable(stateMachine.state().ranges(), copy);
            stateMachine.checkWriteLimits(copy);
            CommitTxn.Builder commit = CommitTxn.newBuilder().setTxnId(txn.toBytes())
                    .addAllWrites(copy.stream().map(Mutations::toWire).toList())
                    .addAllParticipantGroups(participants.stream().map(GroupId::value).toList())
                    .setDeadlineMicros(deadline.micros());
            LeaderLease.Assigned assigned = lease.proposeAtNextTimestamp(new LeaderLease.Bounds(minTs, maxTs, true),
                    ts -> GroupCommand.newBuilder().setCommitTxn(commit.setCommitTsMicros(ts.micros())).build());
            CompletableFuture<Timestamp> commitWait = env.commitWait().waitUntilAfter(assigned.ts());
            CompletableFuture<TxnRecord> decided = assigned.reply()
                    .thenCompose(bytes -> decision(txn, assigned.ts(), CommandReplies.parse(bytes), commitWait));
            decided.whenComplete((record, failure) -> {
                if (failure != null) {
                    commitWait.cancel(false);
                }
            });
            return decided;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * What a {@code CommitTxn} proposed at {@code s} decided: the committed record once
     * {@code TT.after} its commit timestamp, or the abort recorded before it.
     */
    private CompletableFuture<TxnRecord> decision(TxnId txn, Timestamp s, CommandReply reply,
            CompletableFuture<Timestamp> commitWait) {
        switch (reply.getKindCase()) {
            case APPLIED -> {
                TxnRecord record = reply.getApplied().getTxn();
                Timestamp committedAt = new Timestamp(record.getCommitTsMicros());
                if (record.getCommitted() && committedAt.equals(s)) {
                    return commitWait.thenApply(ts -> record);
                }
                commitWait.cancel(false);
                // A repeated commit: the first one's timestamp is the one to wait out.
                return record.getCommitted()
                        ? env.commitWait().waitUntilAfter(committedAt).thenApply(ts -> record)
                        : CompletableFuture.completedFuture(record);
            }
            case REJECTED -> {
                commitWait.cancel(false);
                Optional<TxnRecord> aborted = stateMachine.state().txns().record(txn)
                        .filter(record -> !record.getCommitted());
                if (reply.getRejected().getReason() == RejectReason.REJECT_REASON_TXN_ABORTED && aborted.isPresent()) {
                    return CompletableFuture.completedFuture(aborted.get());
                }
                return CompletableFuture.failedFuture(CommandReplies.rejected(reply.getRejected()));
            }
            default -> {
                commitWait.cancel(false);
                return CompletableFuture.failedFuture(CommandReplies.unknownOutcome());
            }
        }
    }

    /** See {@link GroupReplica#resolveTxn}. */
    CompletableFuture<TxnRecord> resolveTxn(TxnId txn, boolean committed, Timestamp commitTs, Timestamp deadline) {
        ResolveTxn resolve = ResolveTxn.newBuilder().setTxnId(txn.toBytes()).setCommitted(committed)
                .setCommitTsMicros(committed ? commitTs.micros() : 0).setDeadlineMicros(deadline.micros()).build();
        return CommandReplies.onApplied(proposeResolve(resolve), CommandReply.Applied::getTxn);
    }

    /**
     * Proposes {@code resolve} so that every timestamp this leader assigns afterwards lies above
     * its commit timestamp (see {@link LeaderLease#proposeAbove}).
     */
    CompletableFuture<ByteString> proposeResolve(ResolveTxn resolve) {
        try {
            Timestamp floor = resolve.getCommitted() ? new Timestamp(resolve.getCommitTsMicros()) : Timestamp.MIN;
            return lease.proposeAbove(floor, GroupCommand.newBuilder().setResolveTxn(resolve).build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** See {@link GroupReplica#forgetTxns}. */
    CompletableFuture<Void> forgetTxns(List<TxnId> txns) {
        try {
            ForgetTxns forget = ForgetTxns.newBuilder().addAllTxnIds(txns.stream().map(TxnId::toBytes).toList()).build();
            return CommandReplies.onApplied(log.propose(GroupCommand.newBuilder().setForgetTxns(forget).build()
                    .toByteString()), applied -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
