package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads versions inside one transaction (read or write; a write transaction sees its own
 * writes) for the write, GC and snapshot paths; client reads go through {@link SnapshotReader}. Visibility is one rule: the newest entry of a key whose timestamp is at or below
 * the read timestamp, found by an {@code MDB_GET_BOTH_RANGE} seek to {@link KeyCodec#putProbe}.
 * Does not check the GC horizon; callers do, in the same transaction.
 */
final class VersionReader {

    private final LmdbTables tables;
    private final Txn<ByteBuffer> txn;

    VersionReader(LmdbTables tables, Txn<ByteBuffer> txn) {
        this.tables = tables;
        this.txn = txn;
    }

    /**
     * The newest entry of {@code key} whatever its timestamp, if the key has any; detached. The
     * caller's cursor on {@code versions} is repositioned.
     */
    static Optional<VersionEntry> newest(Cursor<ByteBuffer> cursor, ByteBuffer key) {
        return entryAtOrBelow(cursor, key, KeyCodec.NEWEST_PROBE).map(VersionEntry::detached);
    }

    /** Every entry of {@code key}, newest first; detached, so the caller may remove them. */
    List<VersionEntry> allVersions(ByteBuffer key) {
        List<VersionEntry> entries = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            for (boolean found = cursor.get(key, GetOp.MDB_SET_KEY); found; found = cursor.seek(SeekOp.MDB_NEXT_DUP)) {
                entries.add(KeyCodec.decodeEntry(cursor.val()).detached());
            }
        }
        return entries;
    }

    /**
     * The value of {@code put}, a put of {@code key}: its inline bytes or its {@code values}
     * entry (looked up with {@code scratch}), as a view of LMDB memory. Copy it before the next
     * lookup in this transaction. A missing external value is corruption.
     */
    ByteBuffer value(ByteString key, VersionEntry put, ScratchBuffers scratch) {
        return switch (put.kind()) {
            case PUT_INLINE -> put.inlineValue();
            case PUT_EXTERNAL -> {
                ByteBuffer stored = tables.values.get(txn, scratch.valueKey(key, put.ts()));
                if (stored == null) {
                    throw new IllegalStateException("corrupt store: put of key " + Keys.describe(key)
                            + " at " + put.ts() + " has no value");
                }
                yield stored;
            }
            case TOMBSTONE -> throw new IllegalArgumentException("a tombstone has no value");
        };
    }

    /**
     * Up to {@code keysMax} stored keys of {@code span} in ascending order, starting after
     * {@code after} when given. Tombstoned keys are included. Callers page through a span with
     * it and may change the table between pages.
     */
    List<ByteString> keyPage(KeySpan span, Optional<ByteString> after, int keysMax) {
        List<ByteString> page = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            ByteString start = after.orElse(span.start());
            boolean found = start.isEmpty() ? cursor.first() : cursor.get(KeyCodec.direct(start), GetOp.MDB_SET_RANGE);
            if (found && after.isPresent() && KeyCodec.copy(cursor.key()).equals(after.get())) {
                found = cursor.seek(SeekOp.MDB_NEXT_NODUP);
            }
            while (found && page.size() < keysMax) {
                ByteString key = KeyCodec.copy(cursor.key());
                if (!span.isBelowEnd(key)) {
                    break;
                }
                page.add(key);
                found = cursor.seek(SeekOp.MDB_NEXT_NODUP);
            }
        }
        return page;
    }

    /**
     * The newest entry of {@code key} with timestamp at or below the read timestamp encoded in
     * {@code probe} ({@link KeyCodec#putProbe}): the one visibility rule of the store.
     */
    static Optional<VersionEntry> entryAtOrBelow(Cursor<ByteBuffer> cursor, ByteBuffer key, ByteBuffer probe) {
        if (!cursor.get(key, probe, SeekOp.MDB_GET_BOTH_RANGE)) {
            return Optional.empty();
        }
        return Optional.of(KeyCodec.decodeEntry(cursor.val()));
    }
}
