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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client reads (point reads and scans at a timestamp) inside one pooled {@link ReadSession},
 * using its cursors and lookup buffers so a read allocates no native memory. Visibility is
 * {@link VersionReader#entryAtOrBelow}. Does not check the GC horizon; callers do, in the same
 * transaction. Not thread-safe, like the session it reads through.
 */
final class SnapshotReader {

    private final LmdbTables tables;
    private final ReadSession session;
    private final VersionReader versions;

    SnapshotReader(LmdbTables tables, ReadSession session) {
        this.tables = tables;
        this.session = session;
        this.versions = new VersionReader(tables, session.txn());
    }

    /** The version of {@code key} visible at {@code readTs}, unless absent or a tombstone. */
    Optional<Version> get(ByteString key, Timestamp readTs) {
        Cursor<ByteBuffer> cursor = session.probeCursor(tables.versions);
        return visible(cursor, session.scratch().key(key), key, readTs);
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
        Cursor<ByteBuffer> keys = session.keysCursor(tables.versions);
        Cursor<ByteBuffer> probe = session.probeCursor(tables.versions);
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
        return new ScanResult(rows, Optional.empty());
    }

    private Optional<Version> visible(Cursor<ByteBuffer> cursor, ByteBuffer keyBuffer, ByteString key,
                                      Timestamp readTs) {
        ScratchBuffers scratch = session.scratch();
        Optional<VersionEntry> entry = VersionReader.entryAtOrBelow(cursor, keyBuffer, scratch.probe(readTs));
        if (entry.isEmpty() || entry.get().tombstone()) {
            return Optional.empty();
        }
        // The one copy of the value: out of LMDB memory into the returned version.
        ByteString value = KeyCodec.copy(versions.value(key, entry.get(), scratch));
        return Optional.of(new Version(key, value, entry.get().ts()));
    }

    /** Positions on the first key at or after {@code start} (empty: the first key). */
    private boolean seekForward(Cursor<ByteBuffer> cursor, ByteString start) {
        return start.isEmpty() ? cursor.first() : cursor.get(session.scratch().key(start), GetOp.MDB_SET_RANGE);
    }

    /** Positions on the last key below the span's end (or the last key, when it has none). */
    private boolean seekReverse(Cursor<ByteBuffer> cursor, KeySpan span) {
        if (!span.hasEnd()) {
            return cursor.last();
        }
        if (cursor.get(session.scratch().key(span.end()), GetOp.MDB_SET_RANGE)) {
            return cursor.seek(SeekOp.MDB_PREV_NODUP);
        }
        return cursor.last();
    }
}
