package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImportException;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.StoredVersion;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one {@link WriteBatch} inside one write transaction. Every check (applied index,
 * import marker, per-key timestamp order) happens in the same transaction as the writes, and
 * any failure aborts the whole transaction, so a refused batch leaves nothing behind.
 *
 * <p>Mutations apply in order against the transaction's own view, so later mutations see
 * earlier ones: a key written earlier in the batch may be written again at the same
 * timestamp, replacing that version (put then delete leaves a tombstone).
 */
final class BatchWriter {

    /** Keys a delete-range reads per step, so it never lists a whole span in memory. */
    private static final int RANGE_PAGE_KEYS = 1024;

    private final Txn<ByteBuffer> txn;
    private final LmdbTables tables;
    private final VersionReader reader;
    private final VersionWriter writer;
    private final StoreRecords records;
    private final Set<ByteString> writtenInBatch = new HashSet<>();
    /** See {@link WriteBatch.Builder#keepCopiedVersions}. */
    private boolean keepCopiedVersions;

    BatchWriter(LmdbTables tables, Txn<ByteBuffer> txn) {
        this.txn = txn;
        this.tables = tables;
        this.reader = new VersionReader(tables, txn);
        this.writer = new VersionWriter(tables, txn);
        this.records = new StoreRecords(tables);
    }

    ApplyResult apply(WriteBatch batch) {
        GroupId group = batch.group();
        records.incompleteImport(txn, group).ifPresent(incomplete -> {
            throw new IncompleteImportException(incomplete, "applying " + batch);
        });
        if (batch.appliedIndex() <= records.appliedIndex(txn, group)) {
            return ApplyResult.ALREADY_APPLIED;
        }
        if (!batch.ingested().isEmpty()) {
            ingest(batch.ingested());
        }
        keepCopiedVersions = batch.keepCopiedVersions();
        if (batch.commitTs().isPresent()) {
            applyMutations(batch.mutations(), batch.commitTs().get());
        }
        for (Map.Entry<String, Optional<ByteString>> write : batch.metadataWrites().entrySet()) {
            if (write.getValue().isPresent()) {
                records.putMetadata(txn, group, write.getKey(), write.getValue().get());
            } else {
                records.deleteMetadata(txn, group, write.getKey());
            }
        }
        for (Map.Entry<TxnId, Optional<PreparedTxn>> write : batch.preparedWrites().entrySet()) {
            if (write.getValue().isPresent()) {
                records.putPrepared(txn, group, write.getValue().get());
            } else {
                records.removePrepared(txn, group, write.getKey());
            }
        }
        records.putAppliedIndex(txn, group, batch.appliedIndex());
        return ApplyResult.APPLIED;
    }

    /**
     * Applies the mutations in order with one cursor on {@code versions} for every key's newest
     * version; the cursor is closed before the transaction commits, as lmdbjava requires.
     */
    private void applyMutations(List<Mutation> mutations, Timestamp ts) {
        try (Cursor<ByteBuffer> newestCursor = tables.versions.openCursor(txn)) {
            for (Mutation mutation : mutations) {
                switch (mutation) {
                    case Mutation.Put put -> writeVersion(newestCursor, put.key(), ts, Optional.of(put.value()));
                    case Mutation.Delete delete -> deleteIfLive(newestCursor, delete.key(), ts, true);
                    case Mutation.DeleteRange range -> deleteRange(newestCursor, range.span(), ts);
                }
            }
        }
    }

    /**
     * Writes each version at its own timestamp unless the key already holds a version at exactly
     * that timestamp. No order check: a copied history may land below newer versions.
     */
    private void ingest(List<StoredVersion> versions) {
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            for (StoredVersion version : versions) {
                ByteBuffer keyBuffer = tables.writerScratch.key(version.key());
                Optional<VersionEntry> atOrBelow = VersionReader.entryAtOrBelow(cursor, keyBuffer,
                        tables.writerScratch.probe(version.ts()));
                if (atOrBelow.isPresent() && atOrBelow.get().ts().equals(version.ts())) {
                    continue;
                }
                writer.put(version.key(), tables.writerScratch.key(version.key()), version.ts(), version.value());
            }
        }
    }

    /** Tombstones every live key of {@code span}, a page of keys at a time. */
    private void deleteRange(Cursor<ByteBuffer> newestCursor, KeySpan span, Timestamp ts) {
        Optional<ByteString> after = Optional.empty();
        while (true) {
            List<ByteString> page = reader.keyPage(span, after, RANGE_PAGE_KEYS);
            page.forEach(key -> deleteIfLive(newestCursor, key, ts, false));
            if (page.size() < RANGE_PAGE_KEYS) {
                return;
            }
            after = Optional.of(page.get(page.size() - 1));
        }
    }

    /**
     * Writes a tombstone when the key is live. An explicit delete checks the timestamp order
     * even when there is nothing to delete, like a put would; a range only checks the keys it
     * actually deletes.
     */
    private void deleteIfLive(Cursor<ByteBuffer> newestCursor, ByteString key, Timestamp ts, boolean explicit) {
        Optional<VersionEntry> newest = VersionReader.newest(newestCursor, tables.writerScratch.key(key));
        boolean live = newest.isPresent() && !newest.get().tombstone();
        if ((explicit || live) && copiedAlready(key, newest, ts)) {
            return;
        }
        if (explicit || live) {
            checkOrder(key, newest, ts);
        }
        if (live) {
            writeVersion(newestCursor, key, ts, Optional.empty());
        }
    }

    /** Writes a put ({@code value} present) or a tombstone of {@code key} at {@code ts}. */
    private void writeVersion(Cursor<ByteBuffer> newestCursor, ByteString key, Timestamp ts, Optional<ByteString> value) {
        ByteBuffer keyBuffer = tables.writerScratch.key(key);
        Optional<VersionEntry> newest = VersionReader.newest(newestCursor, keyBuffer);
        if (copiedAlready(key, newest, ts)) {
            return;
        }
        checkOrder(key, newest, ts);
        if (newest.isPresent() && newest.get().ts().equals(ts)) {
            writer.remove(key, keyBuffer, newest.get());
        }
        writer.put(key, keyBuffer, ts, value);
        writtenInBatch.add(key);
    }

    /** True when the batch keeps copied versions and the key's newest version is this write, copied in earlier. */
    private boolean copiedAlready(ByteString key, Optional<VersionEntry> newest, Timestamp ts) {
        return keepCopiedVersions && newest.isPresent() && newest.get().ts().equals(ts) && !writtenInBatch.contains(key);
    }

    /**
     * Refuses a write at or below the key's newest version, except over a version this batch
     * wrote itself at the same timestamp.
     */
    private void checkOrder(ByteString key, Optional<VersionEntry> newest, Timestamp ts) {
        if (newest.isEmpty() || newest.get().ts().isBefore(ts)) {
            return;
        }
        if (newest.get().ts().equals(ts) && writtenInBatch.contains(key)) {
            return;
        }
        throw new NonIncreasingTimestampException(key, ts, newest.get().ts());
    }
}
