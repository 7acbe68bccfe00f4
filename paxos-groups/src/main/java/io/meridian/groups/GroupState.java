package io.meridian.groups;

import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.storage.MvccStore;
import io.meridian.truetime.Timestamp;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one replica of a group has applied, apart from user data: a pure function of the
 * commands up to {@link #appliedIndex}. {@link RangeStateMachine} keeps it in memory and stores
 * it as group metadata in the same write batch as each command's effects.
 *
 * @param appliedIndex the log index of the last command applied, or
 *     {@link MvccStore#NO_APPLIED_INDEX}
 * @param initialized true once an {@code InitGroup} has been applied
 * @param meta true for the meta group
 * @param ranges the group's ranges, sorted by start, disjoint
 * @param lastTs the highest timestamp applied in the group: commit timestamps of writes (a
 *     participant's commit of a prepared transaction included), prepare timestamps and closed
 *     timestamps of leases, so every stored version of the group is at or below it. The Paxos
 *     part of the replica's safe time ({@code t_paxos_safe}): no write at or below it will ever
 *     be applied, except the commit of a transaction prepared here, which {@code txns} holds
 *     back ({@link GroupTxns#safeTs})
 * @param lease the newest lease applied, if any
 * @param priorLeaseEnd the latest end of every lease applied before the current holder's
 *     tenure; the current holder assigns nothing until {@code TT.after(priorLeaseEnd)}
 * @param nextRangeSequence the sequence part of the next range id this group allocates
 * @param metaState for the meta group once bootstrapped: the directory, nodes and groups
 * @param incoming ranges being moved into this group ({@code RangeState.incoming}), sorted by
 *     start, disjoint from each other and from {@code ranges}: their copied data is held (and
 *     included in snapshots) but not served until an {@code AcceptRange} moves them to
 *     {@code ranges}
 * @param txns the prepared transactions and decision records (stored in the store's prepared
 *     records and as {@code "txn/"} metadata, not in the encoded state)
 */
public record GroupState(long appliedIndex, boolean initialized, boolean meta, List<RangeState> ranges,
        Timestamp lastTs, Optional<GroupLease> lease, Timestamp priorLeaseEnd, long nextRangeSequence,
        Optional<MetaState> metaState, List<RangeState> incoming, GroupTxns txns) {

    /** The first range sequence a group allocates. */
    public static final long FIRST_RANGE_SEQUENCE = 1;

    public GroupState {
        ranges = List.copyOf(ranges);
        incoming = List.copyOf(incoming);
        Objects.requireNonNull(lastTs, "lastTs");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(priorLeaseEnd, "priorLeaseEnd");
        Objects.requireNonNull(metaState, "metaState");
        Objects.requireNonNull(txns, "txns");
        if (nextRangeSequence < FIRST_RANGE_SEQUENCE) {
            throw new IllegalArgumentException("next range sequence must be positive: " + nextRangeSequence);
        }
    }

    /** The state of a replica that has applied nothing. */
    public static GroupState initial() {
        return new GroupState(MvccStore.NO_APPLIED_INDEX, false, false, List.of(), Timestamp.MIN,
                Optional.empty(), Timestamp.MIN, FIRST_RANGE_SEQUENCE, Optional.empty(), List.of(), GroupTxns.EMPTY);
    }

    GroupState withAppliedIndex(long index) {
        return new GroupState(index, initialized, meta, ranges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState, incoming, txns);
    }

    GroupState withInit(boolean isMeta, List<RangeState> initialRanges) {
        return new GroupState(appliedIndex, true, isMeta, initialRanges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState, incoming, txns);
    }

    GroupState withLastTs(Timestamp ts) {
        return new GroupState(appliedIndex, initialized, meta, ranges, ts, lease, priorLeaseEnd,
                nextRangeSequence, metaState, incoming, txns);
    }

    GroupState withLease(GroupLease newLease, Timestamp newPriorLeaseEnd, Timestamp newLastTs) {
        return new GroupState(appliedIndex, initialized, meta, ranges, newLastTs, Optional.of(newLease),
                newPriorLeaseEnd, nextRangeSequence, metaState, incoming, txns);
    }

    GroupState withRanges(List<RangeState> newRanges, long newNextRangeSequence) {
        return new GroupState(appliedIndex, initialized, meta, newRanges, lastTs, lease, priorLeaseEnd,
                newNextRangeSequence, metaState, incoming, txns);
    }

    GroupState withRangesAndIncoming(List<RangeState> newRanges, List<RangeState> newIncoming) {
        return new GroupState(appliedIndex, initialized, meta, newRanges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState, newIncoming, txns);
    }

    GroupState withTxns(GroupTxns newTxns) {
        return new GroupState(appliedIndex, initialized, meta, ranges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState, incoming, newTxns);
    }

    /** This state with {@code lastTs} raised to {@code ts} if that is higher. */
    GroupState withLastTsAtLeast(Timestamp ts) {
        return withLastTs(Timestamp.max(lastTs, ts));
    }

    /** The served ranges and the incoming ones: every span whose data the group holds. */
    public List<RangeState> heldRanges() {
        List<RangeState> held = new ArrayList<>(ranges);
        held.addAll(incoming);
        held.sort(Comparator.comparing((RangeState r) -> r.getSpan().getStart(), Keys.ORDER));
        return held;
    }

    GroupState withMetaState(Optional<MetaState> newMetaState) {
        return new GroupState(appliedIndex, initialized, meta, ranges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, newMetaState, incoming, txns);
    }
}
