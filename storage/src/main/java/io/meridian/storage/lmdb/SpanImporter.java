package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImport;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.SnapshotFormatException;
import io.meridian.storage.lmdb.FrameReader.Frame;
import io.meridian.storage.lmdb.SnapshotFormat.Counts;
import io.meridian.storage.lmdb.SnapshotFormat.Header;
import io.meridian.storage.lmdb.SnapshotFormat.MetadataRecord;
import io.meridian.storage.lmdb.SnapshotFormat.VersionRecord;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Imports a span snapshot in several write transactions:
 * <ol>
 *   <li>read and check the header (same group, same spans);</li>
 *   <li>record the import marker (one transaction; from here on the import is visible in
 *       {@code incompleteImports()} until it finishes);</li>
 *   <li>delete the spans' versions, a page of keys per transaction, then the group's metadata
 *       and prepared records;</li>
 *   <li>write each data frame in its own transaction;</li>
 *   <li>on a valid END frame: set the applied index, raise the GC horizon, delete the marker,
 *       all in one transaction.</li>
 * </ol>
 * Each frame is decoded and checked before its transaction begins, so a bad frame writes
 * nothing of itself; earlier frames stay, and so does the marker.
 */
final class SpanImporter {

    private static final int CLEAR_PAGE_KEYS = 1024;

    private final LmdbTables tables;
    private final StoreRecords records;

    SpanImporter(LmdbTables tables) {
        this.tables = tables;
        this.records = new StoreRecords(tables);
    }

    void importSpans(GroupId group, List<KeySpan> spans, InputStream in) throws IOException {
        List<KeySpan> checked = KeySpan.requireSortedDisjointOrEmpty(spans);
        FrameReader frames = new FrameReader(in);
        Header header = readHeader(frames.next());
        if (!header.group().equals(group) || !header.spans().equals(checked)) {
            throw new IllegalArgumentException("snapshot is of " + header.group() + " " + header.spans()
                    + ", not of " + group + " " + checked);
        }
        tables.write(txn -> markImport(txn, group, checked));
        for (KeySpan span : checked) {
            clearSpan(span);
        }
        tables.write(txn -> {
            records.clearGroupRecords(txn, group);
            return null;
        });
        Counts written = copyFrames(frames, header);
        frames.expectEndOfStream();
        tables.write(txn -> {
            records.putAppliedIndex(txn, group, header.appliedIndex());
            records.raiseGcHorizon(txn, header.gcHorizon());
            records.deleteImportMarker(txn, group);
            return written;
        });
    }

    private Void markImport(Txn<ByteBuffer> txn, GroupId group, List<KeySpan> spans) {
        Optional<IncompleteImport> earlier = records.incompleteImport(txn, group);
        if (earlier.isPresent()) {
            for (KeySpan span : earlier.get().spans()) {
                if (!KeySpan.unionEncloses(spans, span)) {
                    throw new IllegalArgumentException("an earlier incomplete import of " + group
                            + " covers " + earlier.get().spans() + "; an import of " + spans
                            + " would leave " + span + " half-replaced");
                }
            }
        }
        records.putImportMarker(txn, group, spans);
        return null;
    }

    private void clearSpan(KeySpan span) {
        boolean more = true;
        while (more) {
            more = tables.write(txn -> {
                VersionReader reader = new VersionReader(tables, txn);
                VersionWriter writer = new VersionWriter(tables, txn);
                // Deleted keys leave the table, so each page starts again from the span's start.
                List<ByteString> page = reader.keyPage(span, Optional.empty(), CLEAR_PAGE_KEYS);
                for (ByteString key : page) {
                    ByteBuffer keyBuffer = KeyCodec.direct(key);
                    for (VersionEntry entry : reader.allVersions(keyBuffer)) {
                        writer.remove(key, keyBuffer, entry);
                    }
                }
                return page.size() == CLEAR_PAGE_KEYS;
            });
        }
    }

    /** Writes every data frame up to END; returns the counts END confirmed. */
    private Counts copyFrames(FrameReader frames, Header header) throws IOException {
        long versions = 0;
        long metadata = 0;
        long prepared = 0;
        while (true) {
            Frame frame = frames.next();
            switch (frame.type()) {
                case VERSIONS -> {
                    List<VersionRecord> batch = decode(frame, VersionRecord::read);
                    checkInSpans(batch, header, frame);
                    tables.write(txn -> writeVersions(txn, batch));
                    versions += batch.size();
                }
                case METADATA -> {
                    List<MetadataRecord> batch = decode(frame, MetadataRecord::read);
                    tables.write(txn -> {
                        batch.forEach(entry -> records.putMetadata(txn, header.group(), entry.name(), entry.value()));
                        return null;
                    });
                    metadata += batch.size();
                }
                case PREPARED -> {
                    List<PreparedTxn> batch = decode(frame, SnapshotFormat::readPrepared);
                    tables.write(txn -> {
                        batch.forEach(record -> records.putPrepared(txn, header.group(), record));
                        return null;
                    });
                    prepared += batch.size();
                }
                case END -> {
                    Counts expected = decodeWhole(frame, Counts::decode);
                    Counts actual = new Counts(versions, metadata, prepared);
                    if (!expected.equals(actual)) {
                        throw new SnapshotFormatException("span snapshot END frame announces " + expected
                                + " but the stream carried " + actual);
                    }
                    return actual;
                }
                case HEADER -> throw new SnapshotFormatException("second HEADER in frame " + frame.number());
            }
        }
    }

    private Void writeVersions(Txn<ByteBuffer> txn, List<VersionRecord> batch) {
        VersionWriter writer = new VersionWriter(tables, txn);
        for (VersionRecord record : batch) {
            writer.put(record.key(), KeyCodec.direct(record.key()), record.ts(), record.value());
        }
        return null;
    }

    private static void checkInSpans(List<VersionRecord> batch, Header header, Frame frame)
            throws SnapshotFormatException {
        for (VersionRecord record : batch) {
            if (header.spans().stream().noneMatch(span -> span.contains(record.key()))) {
                throw new SnapshotFormatException("frame " + frame.number() + " holds key "
                        + Keys.describe(record.key()) + " outside the snapshot's spans " + header.spans());
            }
        }
    }

    private static Header readHeader(Frame frame) throws SnapshotFormatException {
        if (frame.type() != SnapshotFormat.FrameType.HEADER) {
            throw new SnapshotFormatException("span snapshot starts with a " + frame.type() + " frame, not HEADER");
        }
        return decodeWhole(frame, Header::decode);
    }

    /** Decodes every record of a data frame; any malformed record fails the whole frame. */
    private static <T> List<T> decode(Frame frame, Function<RecordReader, T> recordDecoder)
            throws SnapshotFormatException {
        return decodeWhole(frame, in -> {
            List<T> decoded = new ArrayList<>();
            while (in.hasRemaining()) {
                decoded.add(recordDecoder.apply(in));
            }
            return decoded;
        });
    }

    private static <T> T decodeWhole(Frame frame, Function<RecordReader, T> decoder) throws SnapshotFormatException {
        try {
            return decoder.apply(new RecordReader(frame.payload()));
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("malformed " + frame.type() + " frame " + frame.number()
                    + ": " + e.getMessage(), e);
        }
    }
}
