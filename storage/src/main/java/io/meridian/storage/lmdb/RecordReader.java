package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a record written by {@link RecordWriter}. Every read checks the bytes are there and
 * throws {@link IllegalArgumentException} saying what was cut short; callers turn that into
 * an invariant failure (bytes from LMDB) or a {@link io.meridian.storage.SnapshotFormatException}
 * (bytes from a stream). Not thread-safe.
 */
final class RecordReader {

    private final ByteBuffer in;

    /** Reads the remaining bytes of {@code source}, without moving it. */
    RecordReader(ByteBuffer source) {
        this.in = source.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    boolean hasRemaining() {
        return in.hasRemaining();
    }

    int remaining() {
        return in.remaining();
    }

    int getByte(String what) {
        need(1, what);
        return in.get() & 0xFF;
    }

    int getInt(String what) {
        need(Integer.BYTES, what);
        return in.getInt();
    }

    long getLong(String what) {
        need(Long.BYTES, what);
        return in.getLong();
    }

    ByteString getShortBytes(String what) {
        need(2, what + " length");
        int length = in.getShort() & 0xFFFF;
        return getBytes(length, what);
    }

    ByteString getIntBytes(String what) {
        int length = getInt(what + " length");
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for " + what);
        }
        return getBytes(length, what);
    }

    /** Fails unless every byte has been read. */
    void expectEnd(String what) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " unexpected bytes after " + what);
        }
    }

    private ByteString getBytes(int length, String what) {
        need(length, what);
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        return ByteString.copyFrom(slice);
    }

    private void need(int length, String what) {
        if (in.remaining() < length) {
            throw new IllegalArgumentException("record cut short reading " + what + ": needs "
                    + length + " bytes, " + in.remaining() + " left");
        }
    }
}
