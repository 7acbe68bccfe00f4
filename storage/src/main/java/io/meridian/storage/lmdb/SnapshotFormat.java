package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.storage.PreparedTxn;
import io.meridian.truetime.Timestamp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The span snapshot stream, version {@value #FORMAT_VERSION}:
 * <pre>
 *   stream  = magic "MRDNSPAN" (8 bytes), format version (int), frame*
 *   frame   = payload length (int), type (byte), payload, CRC32C of type and payload (int)
 *   frames  = HEADER, then VERSIONS / METADATA / PREPARED frames, then END, then end of stream
 * </pre>
 * A frame holds whole records of its type and is cut once its payload reaches
 * {@link #FRAME_TARGET_BYTES}, so a frame is at most that plus one record. Records:
 * <ul>
 *   <li>HEADER: group, applied index, GC horizon (longs), span count (int), each span's start
 *       and end (2-byte length + bytes).</li>
 *   <li>VERSIONS: key (2-byte length + bytes), timestamp (long), tombstone flag (byte), and for
 *       a put the value (4-byte length + bytes). A key's versions are newest first.</li>
 *   <li>METADATA: name (UTF-8, 2-byte length + bytes), value (4-byte length + bytes).</li>
 *   <li>PREPARED: one {@link PreparedTxnCodec} record (4-byte length + bytes).</li>
 *   <li>END: the number of VERSIONS, METADATA and PREPARED records (longs), so a stream cut
 *       at a frame boundary is caught too.</li>
 * </ul>
 * All numbers are big-endian.
 */
final class SnapshotFormat {

    static final byte[] MAGIC = "MRDNSPAN".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;

    /** A frame is emitted once its payload reaches this size. */
    static final int FRAME_TARGET_BYTES = 256 << 10;

    /** No valid frame is larger: the target plus the largest record (a full prepared batch). */
    static final long FRAME_BYTES_MAX = FRAME_TARGET_BYTES + Limit.BATCH_BYTES.max() + (4L << 20);

    private SnapshotFormat() {
    }

    /** Frame types, by their byte on the wire. */
    enum FrameType {
        HEADER(1), VERSIONS(2), METADATA(3), PREPARED(4), END(5);

        final int code;

        FrameType(int code) {
            this.code = code;
        }

        static Optional<FrameType> ofCode(int code) {
            for (FrameType type : values()) {
                if (type.code == code) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /** What a snapshot is of. */
    record Header(GroupId group, List<KeySpan> spans, long appliedIndex, Timestamp gcHorizon) {

        RecordWriter encode() {
            RecordWriter out = new RecordWriter(64);
            out.putLong(group.value()).putLong(appliedIndex).putLong(gcHorizon.micros());
            out.putInt(spans.size());
            spans.forEach(span -> out.putShortBytes(span.start()).putShortBytes(span.end()));
            return out;
        }

        static Header decode(RecordReader in) {
            GroupId group = new GroupId(in.getLong("group"));
            long appliedIndex = in.getLong("applied index");
            Timestamp horizon = new Timestamp(in.getLong("GC horizon"));
            int count = in.getInt("span count");
            if (count < 0 || count > in.remaining()) {
                throw new IllegalArgumentException("impossible span count " + count);
            }
            List<KeySpan> spans = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                spans.add(new KeySpan(in.getShortBytes("span start"), in.getShortBytes("span end")));
            }
            in.expectEnd("header");
            return new Header(group, KeySpan.requireSortedDisjointOrEmpty(spans), appliedIndex, horizon);
        }
    }

    /** One stored version as carried in a VERSIONS frame; a tombstone has no value. */
    record VersionRecord(ByteString key, Timestamp ts, Optional<ByteString> value) {

        static void write(RecordWriter out, ByteString key, Timestamp ts, Optional<ByteBuffer> value) {
            out.putShortBytes(key).putLong(ts.micros()).putByte(value.isEmpty() ? 1 : 0);
            value.ifPresent(out::putIntBytes);
        }

        static VersionRecord read(RecordReader in) {
            ByteString key = Keys.requireValid(in.getShortBytes("key"));
            Timestamp ts = new Timestamp(in.getLong("timestamp"));
            boolean tombstone = in.getByte("tombstone flag") != 0;
            Optional<ByteString> value = tombstone ? Optional.empty() : Optional.of(in.getIntBytes("value"));
            value.ifPresent(bytes -> Limit.VALUE_BYTES.check(bytes.size()));
            return new VersionRecord(key, ts, value);
        }
    }

    /** One metadata entry as carried in a METADATA frame. */
    record MetadataRecord(String name, ByteString value) {

        static void write(RecordWriter out, String name, ByteString value) {
            out.putShortBytes(ByteString.copyFromUtf8(name)).putIntBytes(value);
        }

        static MetadataRecord read(RecordReader in) {
            String name = Keys.requireValidMetadataName(in.getShortBytes("metadata name").toStringUtf8());
            ByteString value = in.getIntBytes("metadata value");
            Limit.VALUE_BYTES.check(value.size());
            return new MetadataRecord(name, value);
        }
    }

    /** Reads one PREPARED record: a length-prefixed {@link PreparedTxnCodec} record. */
    static PreparedTxn readPrepared(RecordReader in) {
        ByteString encoded = in.getIntBytes("prepared record");
        return PreparedTxnCodec.decode(new RecordReader(encoded.asReadOnlyByteBuffer()));
    }

    /** Record counts carried by END. */
    record Counts(long versions, long metadata, long prepared) {

        RecordWriter encode() {
            return new RecordWriter(24).putLong(versions).putLong(metadata).putLong(prepared);
        }

        static Counts decode(RecordReader in) {
            Counts counts = new Counts(in.getLong("version count"), in.getLong("metadata count"),
                    in.getLong("prepared count"));
            in.expectEnd("end frame");
            return counts;
        }
    }
}
