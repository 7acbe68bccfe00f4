package io.meridian.storage.lmdb;

import io.meridian.storage.SnapshotFormatException;
import io.meridian.storage.lmdb.SnapshotFormat.FrameType;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a span snapshot stream ({@link SnapshotFormat}) frame by frame, checking the magic,
 * the format version, each frame's size bound and checksum, and that nothing follows END.
 * Not thread-safe.
 */
final class FrameReader {

    /** One verified frame. */
    record Frame(FrameType type, ByteBuffer payload, long number) {
    }

    private final DataInputStream in;
    private long framesRead;

    /** Reads and checks the stream's magic and format version. */
    FrameReader(InputStream source) throws IOException {
        this.in = new DataInputStream(source);
        byte[] magic = new byte[SnapshotFormat.MAGIC.length];
        readFully(magic, "magic");
        if (!Arrays.equals(magic, SnapshotFormat.MAGIC)) {
            throw new SnapshotFormatException("not a span snapshot: bad magic " + Arrays.toString(magic));
        }
        int version = readInt("format version");
        if (version != SnapshotFormat.FORMAT_VERSION) {
            throw new SnapshotFormatException("span snapshot format version " + version
                    + " is not supported; this build reads version " + SnapshotFormat.FORMAT_VERSION);
        }
    }

    /** Reads the next frame; the stream ending here is a truncation. */
    Frame next() throws IOException {
        long number = framesRead++;
        int length = readInt("length of frame " + number);
        if (length < 0 || length > SnapshotFormat.FRAME_BYTES_MAX) {
            throw new SnapshotFormatException("frame " + number + " claims " + length
                    + " bytes; at most " + SnapshotFormat.FRAME_BYTES_MAX + " are valid");
        }
        byte[] typeAndPayload = new byte[length + 1];
        readFully(typeAndPayload, "frame " + number);
        int expectedCrc = readInt("checksum of frame " + number);
        CRC32C crc = new CRC32C();
        crc.update(typeAndPayload);
        if ((int) crc.getValue() != expectedCrc) {
            throw new SnapshotFormatException("checksum mismatch in frame " + number);
        }
        int code = typeAndPayload[0] & 0xFF;
        FrameType type = FrameType.ofCode(code)
                .orElseThrow(() -> new SnapshotFormatException("unknown type " + code + " of frame " + number));
        return new Frame(type, ByteBuffer.wrap(typeAndPayload, 1, length).slice(), number);
    }

    /** Checks that the stream ends right after the END frame. */
    void expectEndOfStream() throws IOException {
        if (in.read() != -1) {
            throw new SnapshotFormatException("bytes follow the END frame of the span snapshot");
        }
    }

    private int readInt(String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw truncated(what, e);
        }
    }

    private void readFully(byte[] target, String what) throws IOException {
        try {
            in.readFully(target);
        } catch (EOFException e) {
            throw truncated(what, e);
        }
    }

    private static SnapshotFormatException truncated(String what, EOFException cause) {
        return new SnapshotFormatException("span snapshot truncated: stream ended reading " + what, cause);
    }
}
