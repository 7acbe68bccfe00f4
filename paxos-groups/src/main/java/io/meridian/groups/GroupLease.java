package io.meridian.groups;

import io.meridian.truetime.Timestamp;
import java.util.Objects;

/**
 * A leader lease as a group has applied it: while {@code TT.now().latest < end} the holder,
 * leading in {@code term}, may assign timestamps and serve strong reads. Renewals by the same
 * holder in the same term only ever move {@code end} later.
 *
 * @param holder the node holding the lease
 * @param term the Raft term of the holder's leadership
 * @param end the end of the lease (exclusive, in TrueTime)
 */
public record GroupLease(NodeId holder, long term, Timestamp end) {

    public GroupLease {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(end, "end");
    }

    /** True when {@code other} is a renewal of this lease: the same holder in the same term. */
    public boolean sameTenure(GroupLease other) {
        return holder.equals(other.holder) && term == other.term;
    }
}
