package io.meridian.groups;

import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The two-phase-commit state a group has applied: the transactions prepared here and not yet
 * resolved, and the decision records it keeps (as group metadata {@code "txn/" + hex id}) until
 * {@code ForgetTxns}. Part of {@link GroupState}, so it is published together with the applied
 * index and {@code lastTs}.
 *
 * <p>Invariant: a transaction is prepared or has a record, never both: resolving a prepared
 * transaction removes it and records the decision, and a {@code Prepare} of a transaction with a
 * record is refused.
 *
 * <p>Immutable and safe to share between threads; every change returns a new value.
 */
public final class GroupTxns {

    /** Metadata name prefix of decision records. */
    static final String RECORD_PREFIX = "txn/";

    /** No prepared transaction, no record. */
    public static final GroupTxns EMPTY = new GroupTxns(new TreeMap<>(), new TreeMap<>());

    private final SortedMap<TxnId, PreparedTxn> prepared;
    private final SortedMap<TxnId, TxnRecord> records;
    private final Optional<Timestamp> minPrepareTs;
    /**
     * The state this one was made from by one change (weakly held: a chain of every earlier
     * state must not stay reachable), or null.
     */
    private final WeakReference<GroupTxns> base;
    /** The transactions whose prepared entry or record differs from {@link #base}'s. */
    private final Set<TxnId> changed;

    private GroupTxns(TreeMap<TxnId, PreparedTxn> prepared, TreeMap<TxnId, TxnRecord> records) {
        this(Collections.unmodifiableSortedMap(prepared), Collections.unmodifiableSortedMap(records), null, Set.of());
    }

    private GroupTxns(SortedMap<TxnId, PreparedTxn> prepared, SortedMap<TxnId, TxnRecord> records, GroupTxns base,
            Set<TxnId> changed) {
        this.prepared = prepared;
        this.records = records;
        this.minPrepareTs = prepared.values().stream().map(PreparedTxn::prepareTs).min(Timestamp::compareTo);
        this.base = base == null ? null : new WeakReference<>(base);
        this.changed = changed;
    }

    /**
     * The state holding {@code prepared} and {@code records}.
     *
     * @throws IllegalArgumentException when a transaction is both prepared and recorded, or a
     *     record's id is not a transaction id
     */
    public static GroupTxns of(Collection<PreparedTxn> prepared, Collection<TxnRecord> records) {
        TreeMap<TxnId, PreparedTxn> preparedById = new TreeMap<>();
        prepared.forEach(txn -> preparedById.put(txn.id(), txn));
        TreeMap<TxnId, TxnRecord> recordsById = new TreeMap<>();
        for (TxnRecord record : records) {
            TxnId id = TxnId.fromBytes(record.getTxnId());
            if (preparedById.containsKey(id)) {
                throw new IllegalArgumentException(id + " is both prepared and decided");
            }
            recordsById.put(id, record);
        }
        return new GroupTxns(preparedById, recordsById);
    }

    /** The metadata name of {@code id}'s decision record. */
    static String recordName(TxnId id) {
        return RECORD_PREFIX + id.hex();
    }

    /** The prepared transactions, by id. */
    public SortedMap<TxnId, PreparedTxn> prepared() {
        return prepared;
    }

    /** The decision records, by id. */
    public SortedMap<TxnId, TxnRecord> records() {
        return records;
    }

    /** {@code id} as prepared here, if it is. */
    public Optional<PreparedTxn> prepared(TxnId id) {
        return Optional.ofNullable(prepared.get(id));
    }

    /** The decision recorded for {@code id}, if any. */
    public Optional<TxnRecord> record(TxnId id) {
        return Optional.ofNullable(records.get(id));
    }

    /** The lowest prepare timestamp of the prepared transactions; empty when none is. */
    public Optional<Timestamp> minPrepareTs() {
        return minPrepareTs;
    }

    /** The prepared transaction with the lowest prepare timestamp: the one holding the safe time back. */
    public Optional<PreparedTxn> oldestPrepared() {
        return prepared.values().stream().min(Comparator.comparing(PreparedTxn::prepareTs));
    }

    /**
     * {@code t_safe = min(paxosSafe, min prepare_ts - 1)} (DESIGN.md): a prepared transaction
     * may still commit at any timestamp at or above its prepare timestamp, so no read at or above
     * it is complete until it is resolved.
     */
    public Timestamp safeTs(Timestamp paxosSafe) {
        if (minPrepareTs.isEmpty()) {
            return paxosSafe;
        }
        Timestamp min = minPrepareTs.get();
        return Timestamp.min(paxosSafe, min.equals(Timestamp.MIN) ? Timestamp.MIN : min.previous());
    }

    /** The first prepared transaction whose writes share a key with one of {@code writes}. */
    Optional<PreparedTxn> firstConflict(List<Mutation> writes) {
        for (Mutation write : writes) {
            Optional<PreparedTxn> holder = firstOverlapping(write.span());
            if (holder.isPresent()) {
                return holder;
            }
        }
        return Optional.empty();
    }

    /** The first prepared transaction with a write sharing a key with {@code span}. */
    Optional<PreparedTxn> firstOverlapping(KeySpan span) {
        for (PreparedTxn txn : prepared.values()) {
            for (Mutation write : txn.writes()) {
                if (GroupRanges.overlap(write.span(), span)) {
                    return Optional.of(txn);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The transactions whose prepared entry or record may differ between {@code before} and this
     * state: only those one change touched when this state was made from {@code before} by it,
     * every transaction of either otherwise. How a replica stores a change without comparing
     * every record it keeps.
     */
    Set<TxnId> changedSince(GroupTxns before) {
        if (base != null && base.get() == before) {
            return changed;
        }
        Set<TxnId> all = new HashSet<>(before.prepared.keySet());
        all.addAll(before.records.keySet());
        all.addAll(prepared.keySet());
        all.addAll(records.keySet());
        return all;
    }

    /** This state with {@code txn} prepared. The records are shared, not copied. */
    GroupTxns withPrepared(PreparedTxn txn) {
        TreeMap<TxnId, PreparedTxn> nextPrepared = new TreeMap<>(prepared);
        nextPrepared.put(txn.id(), txn);
        return new GroupTxns(Collections.unmodifiableSortedMap(nextPrepared), records, this, Set.of(txn.id()));
    }

    /** This state with {@code record} recorded for {@code id}, which is no longer prepared. */
    GroupTxns decided(TxnId id, TxnRecord record) {
        TreeMap<TxnId, PreparedTxn> nextPrepared = new TreeMap<>(prepared);
        nextPrepared.remove(id);
        TreeMap<TxnId, TxnRecord> nextRecords = new TreeMap<>(records);
        nextRecords.put(id, record);
        return new GroupTxns(Collections.unmodifiableSortedMap(nextPrepared),
                Collections.unmodifiableSortedMap(nextRecords), this, Set.of(id));
    }

    /** This state without the records of {@code ids}; prepared transactions stay, shared. */
    GroupTxns forgetting(Collection<TxnId> ids) {
        TreeMap<TxnId, TxnRecord> nextRecords = new TreeMap<>(records);
        ids.forEach(nextRecords::remove);
        return new GroupTxns(prepared, Collections.unmodifiableSortedMap(nextRecords), this, Set.copyOf(ids));
    }

    @Override
    public boolean equals(Object other) {
        return other == this
                || other instanceof GroupTxns that && prepared.equals(that.prepared) && records.equals(that.records);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prepared, records);
    }

    @Override
    public String toString() {
        return "GroupTxns{prepared " + prepared.keySet() + ", records " + records.keySet() + "}";
    }
}
