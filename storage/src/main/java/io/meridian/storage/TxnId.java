package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Identifies a read-write transaction: 128 bits, compared as an unsigned number
 * ({@code high} first).
 *
 * @param high the upper 64 bits
 * @param low the lower 64 bits
 */
public record TxnId(long high, long low) implements Comparable<TxnId> {

    /** Bytes of {@link #toBytes()}: {@code high} then {@code low}, big-endian. */
    public static final int BYTES = 2 * Long.BYTES;

    /**
     * The id whose wire form is {@code bytes} ({@link #toBytes()}).
     *
     * @throws IllegalArgumentException when {@code bytes} is not {@value #BYTES} bytes long
     */
    public static TxnId fromBytes(ByteString bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.size() != BYTES) {
            throw new IllegalArgumentException("a transaction id is " + BYTES + " bytes, not " + bytes.size());
        }
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        return new TxnId(buffer.getLong(), buffer.getLong());
    }

    /** The wire form (protobuf {@code bytes txn_id}): 16 bytes, {@code high} then {@code low}, big-endian. */
    public ByteString toBytes() {
        return ByteString.copyFrom(ByteBuffer.allocate(BYTES).putLong(high).putLong(low).flip());
    }

    /** 32 lower-case hex digits, {@code high} first: sorts like the id. */
    public String hex() {
        return String.format("%016x%016x", high, low);
    }

    @Override
    public int compareTo(TxnId other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return "txn-" + hex();
    }
}
