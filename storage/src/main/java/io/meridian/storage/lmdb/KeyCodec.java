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
 *   <li>{@code versions}: key = user key; one duplicate per version: the inverted timestamp
 *       ({@code Long.MAX_VALUE - micros}, 8 bytes), a kind byte, and for a
 *       {@link VersionEntry.Kind#PUT_INLINE} the value bytes. Inverting puts the newest version
 *       first, so "newest version at or below t" is one {@code MDB_GET_BOTH_RANGE} seek to
 *       {@link #putProbe}. A key has at most one version per timestamp, so duplicates sort by
 *       timestamp alone whatever follows it.</li>
 *   <li>{@code values}: the values of {@link VersionEntry.Kind#PUT_EXTERNAL} versions (those
 *       longer than {@link #INLINE_VALUE_BYTES_MAX}); key = user key followed by the 8-byte
 *       timestamp. Only ever looked up by exact key, so the concatenation is unambiguous
 *       although it does not sort like the user keys.</li>
 *   <li>Per-group tables: key = 8-byte group id, then the name or txn id.</li>
 * </ul>
 *
 * Every buffer returned is a fresh direct buffer, flipped and ready for LMDB.
 */
final class KeyCodec {

    /** Bytes of a duplicate before its inline value: inverted timestamp and kind. */
    static final int ENTRY_HEADER_BYTES = Long.BYTES + 1;

    /**
     * Values up to this size live inside their duplicate, so reading them is the one seek that
     * finds the version. LMDB caps a duplicate at its maximum key size, 511 bytes: 9 header bytes
     * plus 400 stays well inside it, and keeps a duplicate small enough that a key's versions
     * still share pages. Larger values go to {@code values}.
     */
    static final int INLINE_VALUE_BYTES_MAX = 400;

    /** Sorts before every kind, so a probe at t lands on the version at t if there is one. */
    private static final byte PROBE = 0;
    private static final byte PUT_EXTERNAL = 1;
    private static final byte TOMBSTONE = 2;
    private static final byte PUT_INLINE = 3;

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

    /** Whether a put of a value of {@code valueBytes} stores it inline in its duplicate. */
    static boolean storesInline(int valueBytes) {
        return valueBytes <= INLINE_VALUE_BYTES_MAX;
    }

    /** Writes the full duplicate of {@code entry}, inline value included, into {@code buffer}. */
    static ByteBuffer putEntry(ByteBuffer buffer, VersionEntry entry) {
        return putEntry(buffer, entry.ts(), kindByte(entry.kind())).put(entry.inlineValue().duplicate());
    }

    private static byte kindByte(VersionEntry.Kind kind) {
        return switch (kind) {
            case TOMBSTONE -> TOMBSTONE;
            case PUT_INLINE -> PUT_INLINE;
            case PUT_EXTERNAL -> PUT_EXTERNAL;
        };
    }

    /**
     * Writes the probe of {@code readTs} into {@code buffer}: the duplicate to seek to with
     * {@code MDB_GET_BOTH_RANGE} for a read at {@code readTs}. The first duplicate at or after
     * it is the newest version with timestamp {@code <= readTs}.
     */
    static ByteBuffer putProbe(ByteBuffer buffer, Timestamp readTs) {
        return putEntry(buffer, readTs, PROBE);
    }

    /** The probe of {@link Timestamp#MAX}, made once: it finds a key's newest version. Read-only, shared. */
    static final ByteBuffer NEWEST_PROBE =
            putProbe(ByteBuffer.allocateDirect(ENTRY_HEADER_BYTES), Timestamp.MAX).flip().asReadOnlyBuffer();

    private static ByteBuffer putEntry(ByteBuffer buffer, Timestamp ts, byte kind) {
        return buffer.putLong(Long.MAX_VALUE - ts.micros()).put(kind);
    }

    /**
     * Decodes a {@code versions} duplicate. The inline value of a {@link VersionEntry.Kind#PUT_INLINE}
     * is a view of {@code duplicate}'s memory, not a copy.
     */
    static VersionEntry decodeEntry(ByteBuffer duplicate) {
        int bytes = duplicate.remaining();
        if (bytes < ENTRY_HEADER_BYTES) {
            throw corruptEntry(bytes + " bytes, at least " + ENTRY_HEADER_BYTES + " expected");
        }
        ByteBuffer bigEndian = duplicate.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = bigEndian.position();
        long inverted = bigEndian.getLong(start);
        byte kind = bigEndian.get(start + Long.BYTES);
        if (inverted < 0) {
            throw corruptEntry("inverted ts " + inverted);
        }
        Timestamp ts = new Timestamp(Long.MAX_VALUE - inverted);
        int inlineBytes = bytes - ENTRY_HEADER_BYTES;
        if (kind == PUT_INLINE && storesInline(inlineBytes)) {
            return VersionEntry.inline(ts, bigEndian.slice(start + ENTRY_HEADER_BYTES, inlineBytes));
        }
        if (inlineBytes == 0 && kind == TOMBSTONE) {
            return VersionEntry.tombstone(ts);
        }
        if (inlineBytes == 0 && kind == PUT_EXTERNAL) {
            return VersionEntry.external(ts);
        }
        throw corruptEntry("kind " + kind + " with " + inlineBytes + " value bytes at " + ts);
    }

    private static IllegalStateException corruptEntry(String detail) {
        return new IllegalStateException("corrupt version entry: " + detail);
    }

    /** Writes the {@code values} key of the put of {@code key} at {@code ts} into {@code buffer}. */
    static ByteBuffer putValueKey(ByteBuffer buffer, ByteString key, Timestamp ts) {
        key.copyTo(buffer);
        return buffer.putLong(ts.micros());
    }

    static ByteBuffer groupKey(GroupId group) {
        return longBuffer(group.value());
    }

    static ByteBuffer metadataKey(GroupId group, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Long.BYTES + utf8.length);
        return buffer.putLong(group.value()).put(utf8).flip();
    }

    /**
     * The {@code metadata} key prefix of the group's names starting with {@code namePrefix};
     * the whole group's when it is empty.
     */
    static ByteString metadataKeyPrefix(GroupId group, String namePrefix) {
        byte[] utf8 = namePrefix.getBytes(StandardCharsets.UTF_8);
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES + utf8.length).putLong(group.value()).put(utf8).flip());
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
