package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * How LMDB keys and small values are laid out. LMDB compares keys and duplicates as unsigned
 * bytes (memcmp), so every number here is big-endian.
 *
 * <ul>
 *   <li>{@code versions}: key = user key; duplicates = {@link #ENTRY_BYTES} bytes: the inverted
 *       timestamp ({@code Long.MAX_VALUE - micros}) then a kind byte. Inverting puts the newest
 *       version first, so "newest version at or below t" is one {@code MDB_GET_BOTH_RANGE}
 *       seek to {@link #probe}.</li>
 *   <li>{@code values}: key = user key followed by the 8-byte timestamp. Only ever looked up by
 *       exact key, so the concatenation is unambiguous although it does not sort like the
 *       user keys.</li>
 *   <li>Per-group tables: key = 8-byte group id, then the name or txn id.</li>
 * </ul>
 *
 * Every buffer returned is a fresh direct buffer, flipped and ready for LMDB.
 */
final class KeyCodec {

    /** Bytes of one duplicate in {@code versions}. */
    static final int ENTRY_BYTES = Long.BYTES + 1;

    /** Sorts before both kinds, so a probe at t lands on the version at t if there is one. */
    private static final byte PROBE = 0;
    private static final byte PUT = 1;
    private static final byte TOMBSTONE = 2;

    private KeyCodec() {
    }

    static ByteBuffer direct(ByteString bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, bytes.size()));
        bytes.copyTo(buffer);
        return buffer.flip();
    }

    static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
        return buffer.put(bytes).flip();
    }

    /** Copies an LMDB buffer's remaining bytes (LMDB memory is only valid inside the txn). */
    static ByteString copy(ByteBuffer lmdbBuffer) {
        return ByteString.copyFrom(lmdbBuffer.duplicate());
    }

    static ByteBuffer entry(VersionEntry entry) {
        return entryBuffer(entry.ts(), entry.tombstone() ? TOMBSTONE : PUT);
    }

    /**
     * The duplicate to seek to with {@code MDB_GET_BOTH_RANGE} for a read at {@code readTs}:
     * the first duplicate at or after it is the newest version with timestamp {@code <= readTs}.
     */
    static ByteBuffer probe(Timestamp readTs) {
        return entryBuffer(readTs, PROBE);
    }

    private static ByteBuffer entryBuffer(Timestamp ts, byte kind) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(ENTRY_BYTES);
        return putEntry(buffer, ts, kind).flip();
    }

    /** Writes the probe of {@code readTs} (see {@link #probe}) into {@code buffer}. */
    static ByteBuffer putProbe(ByteBuffer buffer, Timestamp readTs) {
        return putEntry(buffer, readTs, PROBE);
    }

    private static ByteBuffer putEntry(ByteBuffer buffer, Timestamp ts, byte kind) {
        return buffer.putLong(Long.MAX_VALUE - ts.micros()).put(kind);
    }

    /** Decodes a {@code versions} duplicate. */
    static VersionEntry decodeEntry(ByteBuffer duplicate) {
        if (duplicate.remaining() != ENTRY_BYTES) {
            throw new IllegalStateException("corrupt version entry: " + duplicate.remaining()
                    + " bytes, expected " + ENTRY_BYTES);
        }
        ByteBuffer bigEndian = duplicate.duplicate().order(ByteOrder.BIG_ENDIAN);
        long inverted = bigEndian.getLong(bigEndian.position());
        byte kind = bigEndian.get(bigEndian.position() + Long.BYTES);
        if (inverted < 0 || (kind != PUT && kind != TOMBSTONE)) {
            throw new IllegalStateException("corrupt version entry: inverted ts " + inverted + ", kind " + kind);
        }
        return new VersionEntry(new Timestamp(Long.MAX_VALUE - inverted), kind == TOMBSTONE);
    }

    static ByteBuffer valueKey(ByteString key, Timestamp ts) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(key.size() + Long.BYTES);
        key.copyTo(buffer);
        return buffer.putLong(ts.micros()).flip();
    }

    static ByteBuffer groupKey(GroupId group) {
        return longBuffer(group.value());
    }

    static ByteBuffer metadataKey(GroupId group, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Long.BYTES + utf8.length);
        return buffer.putLong(group.value()).put(utf8).flip();
    }

    /** The metadata name in a {@code metadata} key. */
    static String metadataName(ByteBuffer key) {
        ByteBuffer name = key.duplicate();
        name.position(name.position() + Long.BYTES);
        return StandardCharsets.UTF_8.decode(name).toString();
    }

    static ByteBuffer preparedKey(GroupId group, TxnId id) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * Long.BYTES);
        return buffer.putLong(group.value()).putLong(id.high()).putLong(id.low()).flip();
    }

    static ByteBuffer storeKey(String name) {
        return direct(name.getBytes(StandardCharsets.US_ASCII));
    }

    static ByteBuffer longBuffer(long value) {
        return ByteBuffer.allocateDirect(Long.BYTES).putLong(value).flip();
    }

    /** Reads an 8-byte big-endian number stored by {@link #longBuffer}. */
    static long longOf(ByteBuffer buffer, String what) {
        if (buffer.remaining() != Long.BYTES) {
            throw new IllegalStateException("corrupt " + what + ": " + buffer.remaining() + " bytes, expected 8");
        }
        return buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(buffer.position());
    }

    /** True when {@code key} begins with the bytes of {@code prefix}. */
    static boolean startsWith(ByteBuffer key, ByteBuffer prefix) {
        if (key.remaining() < prefix.remaining()) {
            return false;
        }
        return key.slice(key.position(), prefix.remaining()).equals(prefix.duplicate());
    }
}
