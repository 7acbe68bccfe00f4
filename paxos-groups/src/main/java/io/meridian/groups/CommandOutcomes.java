package io.meridian.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.Lease;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.Split;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.api.internal.v1.Write;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Mutation;
import io.meridian.storage.StoredVersion;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what one command does to a group: the next {@link GroupState}, the reply, and the
 * user-data mutations to write. A pure function of the command and the applied state; reads and
 * writes nothing. {@link RangeStateMachine} persists the outcome.
 */
final class CommandOutcomes {

    /** Bits of a range id below the group id: a range id is {@code group_id * 2^32 + sequence}. */
    static final int RANGE_SEQUENCE_BITS = 32;

    private static final Comparator<RangeState> BY_START =
            Comparator.comparing((RangeState range) -> range.getSpan().getStart(), Keys.ORDER);

    /**
     * What a command does.
     *
     * @param next the state afterwards (unchanged for a rejection)
     * @param reply the reply to the proposer
     * @param mutations user-data changes, written at {@code commitTs}
     * @param commitTs present exactly when the command is an applied write
     * @param ingested versions written at their own timestamps ({@code IngestVersions})
     */
    record Outcome(GroupState next, CommandReply reply, List<Mutation> mutations, Optional<Timestamp> commitTs,
            List<StoredVersion> ingested) {

        Outcome {
            mutations = List.copyOf(mutations);
            ingested = List.copyOf(ingested);
        }

        Outcome(GroupState next, CommandReply reply, List<Mutation> mutations, Optional<Timestamp> commitTs) {
            this(next, reply, mutations, commitTs, List.of());
        }

        static Outcome rejected(GroupState current, Rejection rejection) {
            return new Outcome(current, rejection.reply(current.ranges()), List.of(), Optional.empty());
        }

        static Outcome applied(GroupState next, long tsMicros, List<RangeState> ranges) {
            CommandReply reply = CommandReply.newBuilder().setApplied(CommandReply.Applied.newBuilder()
                    .setTsMicros(tsMicros).addAllRanges(ranges)).build();
            return new Outcome(next, reply, List.of(), Optional.empty());
        }

        /** An applied transaction command replying with {@code record}, writing {@code mutations} at {@code commitTs}. */
        static Outcome appliedTxn(GroupState next, long tsMicros, TxnRecord record, List<Mutation> mutations,
                Optional<Timestamp> commitTs) {
            CommandReply reply = CommandReply.newBuilder().setApplied(CommandReply.Applied.newBuilder()
                    .setTsMicros(tsMicros).setTxn(record)).build();
            return new Outcome(next, reply, mutations, commitTs);
        }

        /** A refusal that still changes the state (a refused {@code CommitTxn} records its abort). */
        static Outcome rejectedInto(GroupState current, GroupState next, Rejection rejection) {
            return new Outcome(next, rejection.reply(current.ranges()), List.of(), Optional.empty());
        }
    }

    private final GroupId group;

    CommandOutcomes(GroupId group) {
        this.group = group;
    }

    /** The range id of sequence {@code sequence} in {@code group}. */
    static long rangeId(GroupId group, long sequence) {
        if (sequence < 1 || sequence >= 1L << RANGE_SEQUENCE_BITS) {
            throw new IllegalArgumentException("range sequence out of bounds: " + sequence);
        }
        return Math.addExact(Math.multiplyExact(group.value(), 1L << RANGE_SEQUENCE_BITS), sequence);
    }

    /** What {@code command} does to {@code current}. */
    Outcome decide(GroupState current, ByteString command) {
        GroupCommand parsed;
        try {
            parsed = GroupCommand.parseFrom(command);
        } catch (InvalidProtocolBufferException e) {
            return Outcome.rejected(current, Rejection.invalid("unreadable command: " + e.getMessage()));
        }
        GroupCommand.KindCase kind = parsed.getKindCase();
        if (!current.initialized() && kind != GroupCommand.KindCase.INIT && kind != GroupCommand.KindCase.LEASE) {
            // A later InitGroup would replace what this command changed: the group serves and
            // holds nothing until it is initialized.
            return Outcome.rejected(current, Rejection.invalid(group + " is not initialized yet: " + kind
                    + " must follow its InitGroup"));
        }
        return switch (kind) {
            case INIT -> init(current, parsed.getInit());
            case WRITE -> write(current, parsed.getWrite());
            case LEASE -> lease(current, parsed.getLease());
            case SPLIT -> split(current, parsed.getSplit());
            case INGEST_VERSIONS -> RangeHandoffs.ingest(current, parsed.getIngestVersions());
            case FREEZE_RANGE -> RangeHandoffs.freeze(current, parsed.getFreezeRange());
            case UNFREEZE_RANGE -> RangeHandoffs.unfreeze(current, parsed.getUnfreezeRange());
            case ACCEPT_RANGE -> RangeHandoffs.accept(current, parsed.getAcceptRange());
            case RELEASE_RANGE -> RangeHandoffs.release(current, parsed.getReleaseRange());
            case PREPARE -> TxnCommands.prepare(current, parsed.getPrepare());
            case COMMIT_TXN -> TxnCommands.commit(current, parsed.getCommitTxn());
            case RESOLVE_TXN -> TxnCommands.resolve(current, parsed.getResolveTxn());
            case FORGET_TXNS -> TxnCommands.forget(current, parsed.getForgetTxns());
            case META -> meta(current, parsed.getMeta());
            case KIND_NOT_SET -> Outcome.rejected(current, Rejection.invalid("command has no kind"));
        };
    }

    private Outcome init(GroupState current, InitGroup init) {
        if (current.initialized()) {
            return Outcome.applied(current, 0, current.ranges());
        }
        if (init.getGroupId() != group.value()) {
            return Outcome.rejected(current, Rejection.invalid("InitGroup for group-" + init.getGroupId()
                    + " reached " + group));
        }
        List<RangeState> ranges = init.getRangesList().stream().sorted(BY_START).toList();
        Set<Long> ids = new HashSet<>();
        try {
            KeySpan.requireSortedDisjointOrEmpty(GroupRanges.spans(ranges));
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(current, Rejection.invalid("InitGroup ranges: " + e.getMessage()));
        }
        for (RangeState range : ranges) {
            if (!ids.add(range.getRangeId())) {
                return Outcome.rejected(current, Rejection.invalid("InitGroup repeats range id " + range.getRangeId()));
            }
        }
        return Outcome.applied(current.withInit(init.getMeta(), ranges), 0, ranges);
    }

    private Outcome write(GroupState current, Write write) {
        List<Mutation> mutations = new ArrayList<>();
        Timestamp commitTs;
        try {
            commitTs = new Timestamp(write.getCommitTsMicros());
            for (int i = 0; i < write.getMutationsCount(); i++) {
                mutations.add(toStorage(i, write.getMutations(i)));
            }
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(current, Rejection.invalid(e.getMessage()));
        }
        Optional<Rejection> misplaced = writeRefusal(current, mutations);
        if (misplaced.isPresent()) {
            return Outcome.rejected(current, misplaced.get());
        }
        if (!commitTs.isAfter(current.lastTs())) {
            return Outcome.rejected(current, staleTimestamp("commit", commitTs, current));
        }
        Optional<Rejection> locked = lockConflict(current, mutations);
        if (locked.isPresent()) {
            return Outcome.rejected(current, locked.get());
        }
        Outcome applied = Outcome.applied(current.withLastTs(commitTs), commitTs.micros(), List.of());
        return new Outcome(applied.next(), applied.reply(), mutations, Optional.of(commitTs));
    }

    /**
     * Why {@code mutations} cannot be written in {@code current}: a key outside the served ranges
     * ({@code WRONG_RANGE}) or in a range frozen for a move ({@code RANGE_FROZEN}).
     */
    static Optional<Rejection> writeRefusal(GroupState current, List<Mutation> mutations) {
        Optional<String> outside = GroupRanges.firstOutside(current.ranges(), mutations);
        if (outside.isPresent()) {
            return Optional.of(Rejection.wrongRange(outside.get()));
        }
        return GroupRanges.frozenWritten(current.ranges(), mutations).map(frozen -> new Rejection(
                RejectReason.REJECT_REASON_RANGE_FROZEN, GroupRanges.rangeFrozen(frozen, current.ranges()).getMessage()));
    }

    /** {@code LOCK_CONFLICT} when {@code mutations} share a key with a prepared transaction's writes. */
    static Optional<Rejection> lockConflict(GroupState current, List<Mutation> mutations) {
        return current.txns().firstConflict(mutations).map(holder -> new Rejection(
                RejectReason.REJECT_REASON_LOCK_CONFLICT, "a write overlaps the writes of " + holder.id()
                        + ", prepared at " + holder.prepareTs()));
    }

    /** {@code STALE_TIMESTAMP}: {@code ts} is not above the group's last timestamp. */
    static Rejection staleTimestamp(String what, Timestamp ts, GroupState current) {
        return new Rejection(RejectReason.REJECT_REASON_STALE_TIMESTAMP, what + " timestamp " + ts
                + " is not above the group's last timestamp " + current.lastTs());
    }

    /** The storage mutations of wire {@code mutations}; {@link IllegalArgumentException} names the bad one. */
    static List<Mutation> toStorage(List<io.meridian.api.v1.Mutation> mutations) {
        List<Mutation> converted = new ArrayList<>(mutations.size());
        for (int i = 0; i < mutations.size(); i++) {
            converted.add(toStorage(i, mutations.get(i)));
        }
        return converted;
    }

    private static Mutation toStorage(int index, io.meridian.api.v1.Mutation mutation) {
        try {
            return Mutations.toStorage(mutation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mutation " + index + ": " + e.getMessage(), e);
        }
    }

    private Outcome lease(GroupState current, Lease lease) {
        GroupLease proposed;
        Timestamp closedTs;
        try {
            proposed = new GroupLease(new NodeId(lease.getHolderNodeId()), lease.getTerm(),
                    new Timestamp(lease.getEndMicros()));
            closedTs = new Timestamp(lease.getClosedTsMicros());
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(current, Rejection.invalid("lease: " + e.getMessage()));
        }
        GroupLease next = proposed;
        Timestamp priorLeaseEnd = current.priorLeaseEnd();
        if (current.lease().isPresent()) {
            GroupLease old = current.lease().get();
            if (proposed.term() < old.term()) {
                return Outcome.rejected(current, Rejection.invalid("lease of term " + proposed.term()
                        + " after a lease of term " + old.term()));
            }
            if (old.sameTenure(proposed)) {
                // TrueTime readings are not monotonic; a renewal never shortens what the holder already had.
                next = new GroupLease(proposed.holder(), proposed.term(), Timestamp.max(old.end(), proposed.end()));
            } else {
                priorLeaseEnd = Timestamp.max(priorLeaseEnd, old.end());
            }
        }
        GroupState state = current.withLease(next, priorLeaseEnd, Timestamp.max(current.lastTs(), closedTs));
        return Outcome.applied(state, next.end().micros(), List.of());
    }

    private Outcome split(GroupState current, Split split) {
        List<RangeState> ranges = current.ranges();
        int position = -1;
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).getRangeId() == split.getRangeId()) {
                position = i;
            }
        }
        if (position < 0) {
            return Outcome.rejected(current, Rejection.invalid("range " + split.getRangeId() + " is not in " + group));
        }
        RangeState range = ranges.get(position);
        if (range.getFrozen()) {
            return Outcome.rejected(current, new Rejection(RejectReason.REJECT_REASON_RANGE_FROZEN,
                    "range " + range.getRangeId() + " is frozen for a move; it cannot split now"));
        }
        KeySpan span = GroupRanges.span(range);
        ByteString key = split.getSplitKey();
        if (!span.contains(key) || key.equals(span.start())) {
            return Outcome.rejected(current, Rejection.invalid("split key " + Keys.describe(key)
                    + " is not strictly inside range " + range.getRangeId() + " " + span));
        }
        long newId = split.getNewRangeId();
        long sequence = newId - (group.value() << RANGE_SEQUENCE_BITS);
        if (sequence < current.nextRangeSequence() || sequence >= 1L << RANGE_SEQUENCE_BITS) {
            return Outcome.rejected(current, Rejection.invalid("new range id " + newId + " is not one " + group
                    + " may allocate next (sequence " + current.nextRangeSequence() + " or above)"));
        }
        RangeState left = range.toBuilder().setSpan(Mutations.keyRange(new KeySpan(span.start(), key)))
                .setGeneration(range.getGeneration() + 1).build();
        RangeState right = RangeState.newBuilder().setRangeId(newId)
                .setSpan(Mutations.keyRange(new KeySpan(key, span.end())))
                .setGeneration(range.getGeneration() + 1).build();
        List<RangeState> next = new ArrayList<>(ranges);
        next.set(position, left);
        next.add(position + 1, right);
        return Outcome.applied(current.withRanges(next, sequence + 1), 0, List.of(left, right));
    }

    private static Outcome meta(GroupState current, MetaCommand command) {
        if (!current.meta()) {
            return Outcome.rejected(current, Rejection.invalid("meta commands apply only in the meta group"));
        }
        MetaCommands.Result result = MetaCommands.apply(current.metaState(), command);
        return new Outcome(current.withMetaState(result.state()), result.reply(), List.of(), Optional.empty());
    }
}
