package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

import java.nio.ByteBuffer;

/**
 * One version of a key as the {@code versions} table records it: its timestamp, its kind and,
 * for a small put, the value itself. A large put's value lives in the {@code values} table under
 * key and timestamp. {@link KeyCodec#putEntry} and {@link KeyCodec#decodeEntry} turn it into the
 * duplicate bytes and back.
 *
 * <p>A decoded entry's inline value is a view of LMDB memory, valid only inside the transaction
 * that read it and only until that transaction writes; {@link #detached()} copies it out.
 *
 * @param ts the commit timestamp
 * @param kind what the version is and where a put's value lives
 * @param inlineValue the value of a {@link Kind#PUT_INLINE}; empty for the other kinds
 */
record VersionEntry(Timestamp ts, Kind kind, ByteBuffer inlineValue) {

    /** What a version is and where a put's value lives. */
    enum Kind {
        /** A delete: the key has no value at this timestamp. */
        TOMBSTONE,
        /** A put whose value follows the kind byte inside the duplicate. */
        PUT_INLINE,
        /** A put whose value is in {@code values} under key and timestamp. */
        PUT_EXTERNAL
    }

    private static final ByteBuffer NO_VALUE = ByteBuffer.allocate(0).asReadOnlyBuffer();

    VersionEntry {
        if (kind != Kind.PUT_INLINE && inlineValue.hasRemaining()) {
            throw new IllegalArgumentException(kind + " version carries " + inlineValue.remaining() + " inline bytes");
        }
    }

    static VersionEntry tombstone(Timestamp ts) {
        return new VersionEntry(ts, Kind.TOMBSTONE, NO_VALUE);
    }

    static VersionEntry inline(Timestamp ts, ByteBuffer value) {
        return new VersionEntry(ts, Kind.PUT_INLINE, value);
    }

    static VersionEntry external(Timestamp ts) {
        return new VersionEntry(ts, Kind.PUT_EXTERNAL, NO_VALUE);
    }

    /**
     * A put of {@code value} at {@code ts}, inline or external as {@link KeyCodec#storesInline}
     * decides; the one place that choice is made, for writes and imports alike.
     */
    static VersionEntry put(Timestamp ts, ByteString value) {
        return KeyCodec.storesInline(value.size()) ? inline(ts, value.asReadOnlyByteBuffer()) : external(ts);
    }

    boolean tombstone() {
        return kind == Kind.TOMBSTONE;
    }

    /** This entry with its inline value copied out of LMDB memory, usable after writes. */
    VersionEntry detached() {
        if (kind != Kind.PUT_INLINE) {
            return this;
        }
        ByteBuffer copy = ByteBuffer.allocate(inlineValue.remaining()).put(inlineValue.duplicate()).flip();
        return inline(ts, copy.asReadOnlyBuffer());
    }
}
