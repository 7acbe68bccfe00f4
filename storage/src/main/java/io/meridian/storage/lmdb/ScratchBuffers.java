package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.Limit;
import io.meridian.truetime.Timestamp;

import java.nio.ByteBuffer;

/**
 * Reusable direct buffers for the keys and version records handed to LMDB: the user key, the
 * visibility probe, a version record and the value key. Allocating a direct buffer per call cost
 * more than the LMDB operation itself, so each {@link ReadSession} keeps a set for its reads,
 * and {@link LmdbTables#writerScratch} is the one set that writes use under the writer lock.
 *
 * <p>Not thread-safe: one thread uses a set at a time. Each buffer is valid until the next call
 * that fills the same buffer; LMDB reads keys and records only during the call they are passed
 * to (it copies them into its pages).
 */
final class ScratchBuffers {

    private static final int KEY_BYTES_MAX = Math.toIntExact(Limit.KEY_BYTES.max());

    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_BYTES_MAX);
    private final ByteBuffer probe = ByteBuffer.allocateDirect(KeyCodec.ENTRY_HEADER_BYTES);
    private final ByteBuffer valueKey = ByteBuffer.allocateDirect(KEY_BYTES_MAX + Long.BYTES);
    private final ByteBuffer entry = ByteBuffer.allocateDirect(KeyCodec.ENTRY_HEADER_BYTES + KeyCodec.INLINE_VALUE_BYTES_MAX);

    /** {@code bytes} (at most {@link Limit#KEY_BYTES} long, not empty) as a lookup key. */
    ByteBuffer key(ByteString bytes) {
        key.clear();
        bytes.copyTo(key);
        return key.flip();
    }

    /** The visibility probe of a read at {@code readTs} ({@link KeyCodec#putProbe}). */
    ByteBuffer probe(Timestamp readTs) {
        probe.clear();
        return KeyCodec.putProbe(probe, readTs).flip();
    }

    /** The {@code values} key of the put of {@code bytes} at {@code ts} ({@link KeyCodec#putValueKey}). */
    ByteBuffer valueKey(ByteString bytes, Timestamp ts) {
        valueKey.clear();
        return KeyCodec.putValueKey(valueKey, bytes, ts).flip();
    }

    /** The stored record of {@code version} ({@link KeyCodec#putEntry}). */
    ByteBuffer entry(VersionEntry version) {
        entry.clear();
        return KeyCodec.putEntry(entry, version).flip();
    }
}
