package io.meridian.storage;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one Raft log entry changes in a group, applied atomically by
 * {@link MvccStore#apply}: user-data mutations at one commit timestamp, metadata writes,
 * prepared-record writes and the new applied index.
 *
 * <p>Mutations apply in order, so a put then a delete of one key leaves a tombstone. Metadata
 * and prepared-record writes keep only the last write per name or transaction. A batch with no
 * writes at all is valid: it only advances the applied index.
 *
 * <p>{@link Builder#build()} enforces {@link Limit#BATCH_MUTATIONS} and
 * {@link Limit#BATCH_BYTES}; every mutation checked its own key and value sizes when built.
 * Immutable and safe to share between threads.
 */
public final class WriteBatch {

    private final GroupId group;
    private final long appliedIndex;
    private final Optional<Timestamp> commitTs;
    private final List<Mutation> mutations;
    private final List<StoredVersion> ingested;
    private final Map<String, Optional<ByteString>> metadataWrites;
    private final Map<TxnId, Optional<PreparedTxn>> preparedWrites;
    private final boolean keepCopiedVersions;

    private WriteBatch(Builder builder) {
        this.keepCopiedVersions = builder.keepCopiedVersions;
        this.group = builder.group;
        this.appliedIndex = builder.appliedIndex;
        this.commitTs = builder.commitTs;
        this.mutations = List.copyOf(builder.mutations);
        this.ingested = List.copyOf(builder.ingested);
        this.metadataWrites = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadataWrites));
        this.preparedWrites = Collections.unmodifiableMap(new LinkedHashMap<>(builder.preparedWrites));
    }

    /**
     * Starts a batch for {@code group} that applies Raft log index {@code appliedIndex}.
     *
     * @param appliedIndex the log index; at least 0 (Ratis numbers entries from 0)
     */
    public static Builder builder(GroupId group, long appliedIndex) {
        return new Builder(group, appliedIndex);
    }

    /** The group the batch belongs to. */
    public GroupId group() {
        return group;
    }

    /** The Raft log index this batch applies; the group's applied index afterwards. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The timestamp every mutation is written at; present whenever there are mutations. */
    public Optional<Timestamp> commitTs() {
        return commitTs;
    }

    /** The user-data mutations, in the order they apply. */
    public List<Mutation> mutations() {
        return mutations;
    }

    /**
     * Versions ingested at their own timestamps ({@link Builder#ingest}), applied before the
     * mutations.
     */
    public List<StoredVersion> ingested() {
        return ingested;
    }

    /** True when writes skip versions a range copy already stored ({@link Builder#keepCopiedVersions}). */
    public boolean keepCopiedVersions() {
        return keepCopiedVersions;
    }

    /** Metadata writes by name: a value to store, or empty to delete the name. */
    public Map<String, Optional<ByteString>> metadataWrites() {
        return metadataWrites;
    }

    /** Prepared-record writes by transaction: a record to store, or empty to remove it. */
    public Map<TxnId, Optional<PreparedTxn>> preparedWrites() {
        return preparedWrites;
    }

    /** Mutations counted towards {@link Limit#BATCH_MUTATIONS}, prepared records' included. */
    public long mutationCount() {
        long inPrepared = preparedWrites.values().stream()
                .flatMap(Optional::stream)
                .mapToLong(prepared -> prepared.writes().size())
                .sum();
        return mutations.size() + ingested.size() + inPrepared;
    }

    /** Bytes counted towards {@link Limit#BATCH_BYTES}. */
    public long sizeBytes() {
        long bytes = mutations.stream().mapToLong(Mutation::sizeBytes).sum();
        bytes += ingested.stream().mapToLong(StoredVersion::sizeBytes).sum();
        for (Map.Entry<String, Optional<ByteString>> write : metadataWrites.entrySet()) {
            bytes += write.getKey().getBytes(StandardCharsets.UTF_8).length;
            bytes += write.getValue().map(ByteString::size).orElse(0);
        }
        for (Optional<PreparedTxn> prepared : preparedWrites.values()) {
            bytes += prepared.map(PreparedTxn::sizeBytes).orElse(0L);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "WriteBatch{" + group + ", index " + appliedIndex + ", ts " + commitTs.orElse(null)
                + ", " + mutations.size() + " mutations, " + ingested.size() + " ingested, " + metadataWrites.size() + " metadata, "
                + preparedWrites.size() + " prepared}";
    }

    /** Collects a batch's writes. Not thread-safe; build once. */
    public static final class Builder {

        private final GroupId group;
        private final long appliedIndex;
        private Optional<Timestamp> commitTs = Optional.empty();
        private final List<Mutation> mutations = new ArrayList<>();
        private final List<StoredVersion> ingested = new ArrayList<>();
        private final Map<String, Optional<ByteString>> metadataWrites = new LinkedHashMap<>();
        private final Map<TxnId, Optional<PreparedTxn>> preparedWrites = new LinkedHashMap<>();
        private boolean keepCopiedVersions;

        private Builder(GroupId group, long appliedIndex) {
            this.group = Objects.requireNonNull(group, "group");
            if (appliedIndex < 0) {
                throw new IllegalArgumentException("applied index must not be negative: " + appliedIndex);
            }
            this.appliedIndex = appliedIndex;
        }

        /**
         * Makes a mutation whose key already holds a version at exactly the commit timestamp,
         * written by an earlier batch, a no-op for that key instead of a
         * {@link NonIncreasingTimestampException}. A group's timestamps are unique, so such a
         * version can only be this very write, copied in by a range move
         * ({@link #ingest}) to another group's replica on the same store before this replica
         * applied it. Versions below the commit timestamp are still refused.
         */
        public Builder keepCopiedVersions() {
            this.keepCopiedVersions = true;
            return this;
        }

        /** Sets the timestamp all mutations are written at. */
        public Builder commitTs(Timestamp ts) {
            this.commitTs = Optional.of(Objects.requireNonNull(ts, "commitTs"));
            return this;
        }

        /** Appends a mutation. */
        public Builder mutation(Mutation mutation) {
            mutations.add(Objects.requireNonNull(mutation, "mutation"));
            return this;
        }

        /** Appends every mutation of {@code more}, in order. */
        public Builder mutations(List<Mutation> more) {
            more.forEach(this::mutation);
            return this;
        }

        /** Appends a put. */
        public Builder put(ByteString key, ByteString value) {
            return mutation(new Mutation.Put(key, value));
        }

        /** Appends a delete. */
        public Builder delete(ByteString key) {
            return mutation(new Mutation.Delete(key));
        }

        /** Appends a delete of {@code [start, end)}. */
        public Builder deleteRange(ByteString start, ByteString end) {
            return mutation(new Mutation.DeleteRange(start, end));
        }

        /**
         * Ingests {@code version} at its own timestamp (not the batch's commit timestamp): a put
         * or a tombstone exactly as another store or group held it. Exempt from the increasing
         * timestamp check, because a copied history lands below newer versions; a no-op when
         * the key already has a version at exactly that timestamp (another group sharing the
         * node's store, or a replayed copy, wrote the same version). Counts towards the batch
         * limits like a mutation.
         */
        public Builder ingest(StoredVersion version) {
            ingested.add(Objects.requireNonNull(version, "version"));
            return this;
        }

        /** Stores metadata {@code name = value} for the group. */
        public Builder putMetadata(String name, ByteString value) {
            Keys.requireValidMetadataName(name);
            Limit.VALUE_BYTES.check(value.size());
            metadataWrites.put(name, Optional.of(value));
            return this;
        }

        /** Deletes metadata {@code name} of the group (nothing happens if it is absent). */
        public Builder deleteMetadata(String name) {
            metadataWrites.put(Keys.requireValidMetadataName(name), Optional.empty());
            return this;
        }

        /** Stores (or replaces) a prepared-transaction record. */
        public Builder putPrepared(PreparedTxn prepared) {
            preparedWrites.put(prepared.id(), Optional.of(prepared));
            return this;
        }

        /** Removes a prepared-transaction record (nothing happens if it is absent). */
        public Builder removePrepared(TxnId id) {
            preparedWrites.put(Objects.requireNonNull(id, "id"), Optional.empty());
            return this;
        }

        /**
         * Builds the batch.
         *
         * @throws IllegalArgumentException when there are mutations but no commit timestamp
         * @throws LimitExceededException when the batch breaks a batch limit
         */
        public WriteBatch build() {
            if (!mutations.isEmpty() && commitTs.isEmpty()) {
                throw new IllegalArgumentException("a batch with mutations needs a commit timestamp");
            }
            WriteBatch batch = new WriteBatch(this);
            Limit.BATCH_MUTATIONS.check(batch.mutationCount());
            Limit.BATCH_BYTES.check(batch.sizeBytes());
            return batch;
        }
    }
}
