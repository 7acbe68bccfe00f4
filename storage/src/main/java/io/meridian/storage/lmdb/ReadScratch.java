package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.Limit;
import io.meridian.truetime.Timestamp;

import java.nio.ByteBuffer;

/**
 * Reusable direct buffers for the lookup keys of one read: the user key, the visibility probe
 * and the value key. Allocating direct buffers per read cost more than the LMDB lookups
 * themselves, so each {@link ReadSession} keeps a set for the reads it serves.
 *
 * <p>Not thread-safe: one reader uses a set at a time. Each buffer is valid until the next call
 * that fills the same buffer; LMDB reads lookup keys only during the call they are passed to.
 */
final class ReadScratch {

    private static final int KEY_BYTES_MAX = Math.toIntExact(Limit.KEY_BYTES.max());

    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_BYTES_MAX);
    private final ByteBuffer probe = ByteBuffer.allocateDirect(KeyCodec.ENTRY_HEADER_BYTES);
    private final ByteBuffer valueKey = ByteBuffer.allocateDirect(KEY_BYTES_MAX + Long.BYTES);

    /** {@code bytes} (at most {@link Limit#KEY_BYTES} long, not empty) as a lookup key. */
    ByteBuffer key(ByteString bytes) {
        key.clear();
        bytes.copyTo(key);
        return key.flip();
    }

    /** The same bytes as {@link KeyCodec#probe}. */
    ByteBuffer probe(Timestamp readTs) {
        probe.clear();
        return KeyCodec.putProbe(probe, readTs).flip();
    }

    /** The same bytes as {@link KeyCodec#valueKey}. */
    ByteBuffer valueKey(ByteString bytes, Timestamp ts) {
        valueKey.clear();
        bytes.copyTo(valueKey);
        return valueKey.putLong(ts.micros()).flip();
    }
}
