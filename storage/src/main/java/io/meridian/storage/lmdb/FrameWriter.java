package io.meridian.storage.lmdb;

import io.meridian.storage.lmdb.SnapshotFormat.Counts;
import io.meridian.storage.lmdb.SnapshotFormat.FrameType;
import io.meridian.storage.lmdb.SnapshotFormat.Header;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a span snapshot stream ({@link SnapshotFormat}): the caller adds records one at a
 * time and the writer cuts them into checksummed frames, holding at most one frame in memory.
 * Not thread-safe.
 */
final class FrameWriter {

    private final DataOutputStream out;
    private final RecordWriter payload = new RecordWriter(SnapshotFormat.FRAME_TARGET_BYTES + 4096);
    private final Map<FrameType, Long> counts = new EnumMap<>(FrameType.class);
    private FrameType payloadType;

    /** Writes the magic and format version, then {@code header} as the first frame. */
    FrameWriter(OutputStream out, Header header) throws IOException {
        this.out = new DataOutputStream(out);
        this.out.write(SnapshotFormat.MAGIC);
        this.out.writeInt(SnapshotFormat.FORMAT_VERSION);
        emit(FrameType.HEADER, header.encode());
    }

    /**
     * Returns the buffer to write the next record of {@code type} into, emitting the pending
     * frame first when it is full or of another type.
     */
    RecordWriter record(FrameType type) throws IOException {
        if (payloadType != type || payload.size() >= SnapshotFormat.FRAME_TARGET_BYTES) {
            flush();
            payloadType = type;
        }
        counts.merge(type, 1L, Long::sum);
        return payload;
    }

    /** Emits the pending frame and the END frame, and flushes the stream (without closing it). */
    void finish() throws IOException {
        flush();
        Counts totals = new Counts(count(FrameType.VERSIONS), count(FrameType.METADATA), count(FrameType.PREPARED));
        emit(FrameType.END, totals.encode());
        out.flush();
    }

    private long count(FrameType type) {
        return counts.getOrDefault(type, 0L);
    }

    private void flush() throws IOException {
        if (payload.size() > 0) {
            emit(payloadType, payload);
            payload.reset();
        }
    }

    private void emit(FrameType type, RecordWriter body) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(type.code);
        body.updateChecksum(crc);
        out.writeInt(body.size());
        out.writeByte(type.code);
        body.writeTo(out);
        out.writeInt((int) crc.getValue());
    }
}
