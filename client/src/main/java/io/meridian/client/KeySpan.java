package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.KeyRange;
import java.util.Objects;

/**
 * A half-open span of keys {@code [start, end)} in unsigned byte order. An empty {@code start}
 * is the first key; an empty {@code end} is the end of the keyspace.
 *
 * @param start the first key in the span (inclusive); empty for the beginning of the keyspace
 * @param end   the key after the span (exclusive); empty for the end of the keyspace
 */
public record KeySpan(ByteString start, ByteString end) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code end} is not empty and not above {@code start}
     */
    public KeySpan {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isEmpty() && Keys.compare(start, end) >= 0) {
            throw new IllegalArgumentException("a key span needs start < end, or an empty end: start "
                    + Keys.describe(start) + ", end " + Keys.describe(end));
        }
    }

    /** The whole keyspace. */
    public static KeySpan all() {
        return new KeySpan(ByteString.EMPTY, ByteString.EMPTY);
    }

    /** {@code [start, end)}; an empty end means the end of the keyspace. */
    public static KeySpan of(ByteString start, ByteString end) {
        return new KeySpan(start, end);
    }

    /** {@code [start, end)} of UTF-8 keys; an empty end means the end of the keyspace. */
    public static KeySpan of(String start, String end) {
        return new KeySpan(ByteString.copyFromUtf8(start), ByteString.copyFromUtf8(end));
    }

    /** Every key from {@code start} (inclusive) to the end of the keyspace. */
    public static KeySpan from(ByteString start) {
        return new KeySpan(start, ByteString.EMPTY);
    }

    /**
     * Every key that starts with {@code prefix}. The end is the prefix with its last byte below
     * {@code 0xff} incremented and what follows dropped; a prefix of only {@code 0xff} bytes (or
     * an empty one) runs to the end of the keyspace.
     */
    public static KeySpan prefix(ByteString prefix) {
        return new KeySpan(prefix, Keys.prefixEnd(prefix));
    }

    /** Every key that starts with the UTF-8 bytes of {@code prefix}. */
    public static KeySpan prefix(String prefix) {
        return prefix(ByteString.copyFromUtf8(prefix));
    }

    /** True if {@code key} lies in this span. */
    public boolean contains(ByteString key) {
        return Keys.compare(key, start) >= 0 && (end.isEmpty() || Keys.compare(key, end) < 0);
    }

    /** The span with both bounds shown as text where printable, hex otherwise. */
    @Override
    public String toString() {
        return "[" + Keys.describe(start) + ", " + (end.isEmpty() ? "<end>" : Keys.describe(end)) + ")";
    }

    KeyRange toProto() {
        return KeyRange.newBuilder().setStart(start).setEnd(end).build();
    }

    static KeySpan fromProto(KeyRange range) {
        return new KeySpan(range.getStart(), range.getEnd());
    }
}
