package io.meridian.storage;

import io.meridian.truetime.Timestamp;

import java.util.List;
import java.util.Objects;

/**
 * A transaction prepared in this group by two-phase commit and not yet resolved: its buffered
 * writes wait here, durably, until the coordinator's outcome is applied.
 *
 * @param id the transaction
 * @param prepareTs the prepare timestamp this group chose
 * @param coordinator the group whose leader coordinates the commit
 * @param writes the buffered writes, applied at the commit timestamp if it commits
 * @param deadline the coordinator decides by this time or the transaction aborts;
 *     {@link Timestamp#MAX} when not known (a record stored before deadlines were kept)
 */
public record PreparedTxn(TxnId id, Timestamp prepareTs, GroupId coordinator, List<Mutation> writes,
        Timestamp deadline) {

    public PreparedTxn {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prepareTs, "prepareTs");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(deadline, "deadline");
        writes = List.copyOf(writes);
    }

    /** A prepared transaction whose deadline is not known ({@link Timestamp#MAX}). */
    public PreparedTxn(TxnId id, Timestamp prepareTs, GroupId coordinator, List<Mutation> writes) {
        this(id, prepareTs, coordinator, writes, Timestamp.MAX);
    }

    /** Bytes the buffered writes count towards {@link Limit#BATCH_BYTES}. */
    public long sizeBytes() {
        return writes.stream().mapToLong(Mutation::sizeBytes).sum();
    }
}
