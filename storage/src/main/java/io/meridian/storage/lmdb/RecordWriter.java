package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Checksum;

/**
 * Builds a binary record in memory, big-endian, growing as needed. Length-prefixed fields use
 * two bytes for keys (at most 65,535 bytes) and four for values. The counterpart is
 * {@link RecordReader}. Not thread-safe.
 */
final class RecordWriter {

    private static final int SHORT_LENGTH_MAX = 0xFFFF;

    private byte[] bytes;
    private int size;

    RecordWriter(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    RecordWriter putByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    RecordWriter putInt(int value) {
        ensure(Integer.BYTES);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    RecordWriter putLong(long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Appends a key-sized field: a two-byte length, then the bytes. */
    RecordWriter putShortBytes(ByteString field) {
        if (field.size() > SHORT_LENGTH_MAX) {
            throw new IllegalArgumentException("field of " + field.size() + " bytes needs a long length");
        }
        putByte(field.size() >>> 8).putByte(field.size());
        return putRaw(field);
    }

    /** Appends a value-sized field: a four-byte length, then the bytes. */
    RecordWriter putIntBytes(ByteString field) {
        putInt(field.size());
        return putRaw(field);
    }

    /** Appends a field from an LMDB buffer (its remaining bytes), with a four-byte length. */
    RecordWriter putIntBytes(ByteBuffer field) {
        ByteBuffer source = field.duplicate();
        putInt(source.remaining());
        ensure(source.remaining());
        int length = source.remaining();
        source.get(bytes, size, length);
        size += length;
        return this;
    }

    private RecordWriter putRaw(ByteString field) {
        ensure(field.size());
        field.copyTo(bytes, size);
        size += field.size();
        return this;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** A direct buffer holding the record, ready to hand to LMDB. */
    ByteBuffer toDirectBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(Math.max(1, size));
        direct.put(bytes, 0, size).flip();
        return direct;
    }

    /** Feeds the record's bytes to {@code checksum}. */
    void updateChecksum(Checksum checksum) {
        checksum.update(bytes, 0, size);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > bytes.length) {
            long grown = Math.max(needed, (long) bytes.length * 2);
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }
}
