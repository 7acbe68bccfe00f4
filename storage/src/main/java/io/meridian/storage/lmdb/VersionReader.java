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
 * writes). Visibility is one rule: the newest entry of a key whose timestamp is at or below
 * the read timestamp, found by an {@code MDB_GET_BOTH_RANGE} seek to {@link KeyCodec#probe}.
 * Does not check the GC horizon; callers do, in the same transaction.
 */
final class VersionReader {

    private final LmdbTables tables;
    private final Txn<ByteBuffer> txn;

    VersionReader(LmdbTables tables, Txn<ByteBuffer> txn) {
        this.tables = tables;
        this.txn = txn;
    }

    /** The version of {@code key} visible at {@code readTs}, unless absent or a tombstone. */
    Optional<Version> get(ByteString key, Timestamp readTs) {
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            return visible(cursor, KeyCodec.direct(key), key, readTs);
        }
    }

    /** The newest entry of {@code key} whatever its timestamp, if the key has any. */
    Optional<VersionEntry> newest(ByteBuffer key) {
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            return entryAtOrBelow(cursor, key, Timestamp.MAX);
        }
    }

    /** Every entry of {@code key}, newest first. */
    List<VersionEntry> allVersions(ByteBuffer key) {
        List<VersionEntry> entries = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            for (boolean found = cursor.get(key, GetOp.MDB_SET_KEY); found; found = cursor.seek(SeekOp.MDB_NEXT_DUP)) {
                entries.add(KeyCodec.decodeEntry(cursor.val()));
            }
        }
        return entries;
    }

    /** The value of the put of {@code key} at {@code ts}; its absence is corruption. */
    ByteString value(ByteString key, Timestamp ts) {
        ByteBuffer stored = tables.values.get(txn, KeyCodec.valueKey(key, ts));
        if (stored == null) {
            throw new IllegalStateException("corrupt store: put of key " + Keys.describe(key)
                    + " at " + ts + " has no value");
        }
        return KeyCodec.copy(stored);
    }

    /**
     * Up to {@code keysMax} stored keys of {@code span} in ascending order, starting after
     * {@code after} when given. Tombstoned keys are included. Callers page through a span with
     * it and may change the table between pages.
     */
    List<ByteString> keyPage(KeySpan span, Optional<ByteString> after, int keysMax) {
        List<ByteString> page = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            boolean found = seekForward(cursor, after.orElse(span.start()));
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
     * One page of a scan (see {@link ScanResult} for the resume key). The page ends after
     * {@code limit} rows or {@link Limit#SCAN_PAGE_BYTES}; it then looks for one more visible
     * row, so a resume key is given only when rows remain.
     */
    ScanResult scan(KeySpan span, Timestamp readTs, int limit, ScanDirection direction) {
        List<Version> rows = new ArrayList<>();
        long pageBytes = 0;
        boolean forward = direction == ScanDirection.FORWARD;
        try (Cursor<ByteBuffer> keys = tables.versions.openCursor(txn);
             Cursor<ByteBuffer> probe = tables.versions.openCursor(txn)) {
            boolean found = forward ? seekForward(keys, span.start()) : seekReverse(keys, span);
            while (found) {
                ByteString key = KeyCodec.copy(keys.key());
                if (forward ? !span.isBelowEnd(key) : Keys.compare(key, span.start()) < 0) {
                    break;
                }
                Optional<Version> row = visible(probe, keys.key(), key, readTs);
                if (row.isPresent()) {
                    if (rows.size() >= limit || pageBytes >= Limit.SCAN_PAGE_BYTES.max()) {
                        ByteString resume = forward ? key : rows.get(rows.size() - 1).key();
                        return new ScanResult(rows, Optional.of(resume));
                    }
                    rows.add(row.get());
                    pageBytes += key.size() + row.get().value().size();
                }
                found = keys.seek(forward ? SeekOp.MDB_NEXT_NODUP : SeekOp.MDB_PREV_NODUP);
            }
        }
        return new ScanResult(rows, Optional.empty());
    }

    private Optional<Version> visible(Cursor<ByteBuffer> cursor, ByteBuffer keyBuffer, ByteString key,
                                      Timestamp readTs) {
        Optional<VersionEntry> entry = entryAtOrBelow(cursor, keyBuffer, readTs);
        if (entry.isEmpty() || entry.get().tombstone()) {
            return Optional.empty();
        }
        Timestamp ts = entry.get().ts();
        return Optional.of(new Version(key, value(key, ts), ts));
    }

    /** The newest entry of {@code key} with timestamp at or below {@code readTs}. */
    private static Optional<VersionEntry> entryAtOrBelow(Cursor<ByteBuffer> cursor, ByteBuffer key,
                                                         Timestamp readTs) {
        if (!cursor.get(key, KeyCodec.probe(readTs), SeekOp.MDB_GET_BOTH_RANGE)) {
            return Optional.empty();
        }
        return Optional.of(KeyCodec.decodeEntry(cursor.val()));
    }

    /** Positions on the first key at or after {@code start} (empty: the first key). */
    private static boolean seekForward(Cursor<ByteBuffer> cursor, ByteString start) {
        return start.isEmpty() ? cursor.first() : cursor.get(KeyCodec.direct(start), GetOp.MDB_SET_RANGE);
    }

    /** Positions on the last key below the span's end (or the last key, when it has none). */
    private static boolean seekReverse(Cursor<ByteBuffer> cursor, KeySpan span) {
        if (!span.hasEnd()) {
            return cursor.last();
        }
        if (cursor.get(KeyCodec.direct(span.end()), GetOp.MDB_SET_RANGE)) {
            return cursor.seek(SeekOp.MDB_PREV_NODUP);
        }
        return cursor.last();
    }
}
