package io.meridian.groups;

import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.storage.MvccStore;
import io.meridian.truetime.Timestamp;
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
 * @param lastTs the highest timestamp applied in the group: commit timestamps of writes and
 *     closed timestamps of leases. The replica's safe time: no write at or below it will
 *     ever be applied
 * @param lease the newest lease applied, if any
 * @param priorLeaseEnd the latest end of every lease applied before the current holder's
 *     tenure; the current holder assigns nothing until {@code TT.after(priorLeaseEnd)}
 * @param nextRangeSequence the sequence part of the next range id this group allocates
 * @param metaState for the meta group once bootstrapped: the directory, nodes and groups
 */
public record GroupState(long appliedIndex, boolean initialized, boolean meta, List<RangeState> ranges,
        Timestamp lastTs, Optional<GroupLease> lease, Timestamp priorLeaseEnd, long nextRangeSequence,
        Optional<MetaState> metaState) {

    /** The first range sequence a group allocates. */
    public static final long FIRST_RANGE_SEQUENCE = 1;

    public GroupState {
        ranges = List.copyOf(ranges);
        Objects.requireNonNull(lastTs, "lastTs");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(priorLeaseEnd, "priorLeaseEnd");
        Objects.requireNonNull(metaState, "metaState");
        if (nextRangeSequence < FIRST_RANGE_SEQUENCE) {
            throw new IllegalArgumentException("next range sequence must be positive: " + nextRangeSequence);
        }
    }

    /** The state of a replica that has applied nothing. */
    public static GroupState initial() {
        return new GroupState(MvccStore.NO_APPLIED_INDEX, false, false, List.of(), Timestamp.MIN,
                Optional.empty(), Timestamp.MIN, FIRST_RANGE_SEQUENCE, Optional.empty());
    }

    GroupState withAppliedIndex(long index) {
        return new GroupState(index, initialized, meta, ranges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState);
    }

    GroupState withInit(boolean isMeta, List<RangeState> initialRanges) {
        return new GroupState(appliedIndex, true, isMeta, initialRanges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, metaState);
    }

    GroupState withLastTs(Timestamp ts) {
        return new GroupState(appliedIndex, initialized, meta, ranges, ts, lease, priorLeaseEnd,
                nextRangeSequence, metaState);
    }

    GroupState withLease(GroupLease newLease, Timestamp newPriorLeaseEnd, Timestamp newLastTs) {
        return new GroupState(appliedIndex, initialized, meta, ranges, newLastTs, Optional.of(newLease),
                newPriorLeaseEnd, nextRangeSequence, metaState);
    }

    GroupState withRanges(List<RangeState> newRanges, long newNextRangeSequence) {
        return new GroupState(appliedIndex, initialized, meta, newRanges, lastTs, lease, priorLeaseEnd,
                newNextRangeSequence, metaState);
    }

    GroupState withMetaState(Optional<MetaState> newMetaState) {
        return new GroupState(appliedIndex, initialized, meta, ranges, lastTs, lease, priorLeaseEnd,
                nextRangeSequence, newMetaState);
    }
}
