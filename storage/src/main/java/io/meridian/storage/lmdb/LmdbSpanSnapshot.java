package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImportException;
import io.meridian.storage.KeySpan;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.lmdb.SnapshotFormat.FrameType;
import io.meridian.storage.lmdb.SnapshotFormat.Header;
import io.meridian.storage.lmdb.SnapshotFormat.MetadataRecord;
import io.meridian.storage.lmdb.SnapshotFormat.VersionRecord;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SpanSnapshot} over one long LMDB read transaction, which LMDB keeps consistent
 * however long the copy takes. Streams straight from the memory map into frames.
 */
final class LmdbSpanSnapshot implements SpanSnapshot {

    private final LmdbTables tables;
    private final Txn<ByteBuffer> txn;
    private final Header header;
    private boolean closed;

    private LmdbSpanSnapshot(LmdbTables tables, Txn<ByteBuffer> txn, Header header) {
        this.tables = tables;
        this.txn = txn;
        this.header = header;
    }

    /** Opens the read transaction and reads the header values from it. */
    static LmdbSpanSnapshot open(LmdbTables tables, GroupId group, List<KeySpan> spans) {
        List<KeySpan> checked = KeySpan.requireSortedDisjointOrEmpty(spans);
        Txn<ByteBuffer> txn = tables.openLongRead();
        try {
            StoreRecords records = new StoreRecords(tables);
            records.incompleteImport(txn, group).ifPresent(incomplete -> {
                throw new IncompleteImportException(incomplete, "exporting " + group);
            });
            Header header = new Header(group, checked, records.appliedIndex(txn, group), records.gcHorizon(txn));
            return new LmdbSpanSnapshot(tables, txn, header);
        } catch (RuntimeException e) {
            tables.closeLongRead(txn);
            throw e;
        }
    }

    @Override
    public GroupId group() {
        return header.group();
    }

    @Override
    public List<KeySpan> spans() {
        return header.spans();
    }

    @Override
    public long appliedIndex() {
        return header.appliedIndex();
    }

    @Override
    public Timestamp gcHorizon() {
        return header.gcHorizon();
    }

    @Override
    public synchronized void writeTo(OutputStream out) throws IOException {
        if (closed) {
            throw new IllegalStateException("span snapshot of " + header.group() + " is closed");
        }
        FrameWriter frames = new FrameWriter(out, header);
        for (KeySpan span : header.spans()) {
            writeVersions(frames, span);
        }
        StoreRecords records = new StoreRecords(tables);
        try {
            records.forEachMetadata(txn, header.group(), (name, value) ->
                    uncheckedIo(() -> MetadataRecord.write(frames.record(FrameType.METADATA), name, value)));
            records.forEachPreparedRecord(txn, header.group(), (key, encoded) ->
                    uncheckedIo(() -> frames.record(FrameType.PREPARED).putIntBytes(encoded)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        frames.finish();
    }

    private void writeVersions(FrameWriter frames, KeySpan span) throws IOException {
        VersionReader reader = new VersionReader(tables, txn);
        ScratchBuffers scratch = new ScratchBuffers();
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            boolean found = span.start().isEmpty()
                    ? cursor.first()
                    : cursor.get(KeyCodec.direct(span.start()), GetOp.MDB_SET_RANGE);
            while (found) {
                ByteString key = KeyCodec.copy(cursor.key());
                if (!span.isBelowEnd(key)) {
                    return;
                }
                boolean sameKey = true;
                while (sameKey) {
                    VersionEntry entry = KeyCodec.decodeEntry(cursor.val());
                    Optional<ByteBuffer> value = entry.tombstone()
                            ? Optional.empty()
                            : Optional.of(reader.value(key, entry, scratch));
                    VersionRecord.write(frames.record(FrameType.VERSIONS), key, entry.ts(), value);
                    sameKey = cursor.seek(SeekOp.MDB_NEXT_DUP);
                }
                found = cursor.seek(SeekOp.MDB_NEXT_NODUP);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            tables.closeLongRead(txn);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void uncheckedIo(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
