package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.Keys;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Adds and removes single versions inside one write transaction, keeping {@code versions} and
 * {@code values} consistent: a {@link VersionEntry.Kind#PUT_EXTERNAL} version has its value in
 * {@code values}, no other version does. Used by batches, GC and imports alike, so they store
 * a value inline or external by the same rule ({@link VersionEntry#put}).
 */
final class VersionWriter {

    private final LmdbTables tables;
    private final Txn<ByteBuffer> txn;

    VersionWriter(LmdbTables tables, Txn<ByteBuffer> txn) {
        this.tables = tables;
        this.txn = txn;
    }

    /**
     * Stores a put ({@code value} present) or a tombstone of {@code key} at {@code ts}. The key
     * must have no version at {@code ts} yet.
     */
    void put(ByteString key, ByteBuffer keyBuffer, Timestamp ts, Optional<ByteString> value) {
        VersionEntry entry = value.map(bytes -> VersionEntry.put(ts, bytes)).orElseGet(() -> VersionEntry.tombstone(ts));
        ScratchBuffers scratch = tables.writerScratch;
        tables.versions.put(txn, keyBuffer, scratch.entry(entry));
        if (entry.kind() == VersionEntry.Kind.PUT_EXTERNAL) {
            ByteBuffer target = tables.values.reserve(txn, scratch.valueKey(key, ts), value.orElseThrow().size());
            value.orElseThrow().copyTo(target);
        }
    }

    /**
     * Removes {@code entry}, a stored version of {@code key} (detached from LMDB memory, see
     * {@link VersionEntry#detached}), and its external value if it has one.
     */
    void remove(ByteString key, ByteBuffer keyBuffer, VersionEntry entry) {
        ScratchBuffers scratch = tables.writerScratch;
        boolean removed = tables.versions.delete(txn, keyBuffer, scratch.entry(entry));
        if (removed && entry.kind() == VersionEntry.Kind.PUT_EXTERNAL) {
            removed = tables.values.delete(txn, scratch.valueKey(key, entry.ts()));
        }
        if (!removed) {
            throw new IllegalStateException("corrupt store: " + entry.kind() + " version of key "
                    + Keys.describe(key) + " at " + entry.ts() + " is not fully stored");
        }
    }
}
