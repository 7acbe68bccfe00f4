package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImport;
import io.meridian.storage.KeySpan;
import io.meridian.storage.MvccStore;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The bookkeeping beside user data, read and written inside a caller's transaction: per-group
 * applied index, metadata, prepared records and import markers; store-wide format version and
 * GC horizon. Stateless apart from the tables; cheap to create.
 */
final class StoreRecords {

    /** The layout version this code reads and writes; 2 stores small values inline in {@code versions}. */
    static final long FORMAT_VERSION = 2;

    private static final String FORMAT = "format-version";
    private static final String GC_HORIZON = "gc-horizon";

    /**
     * The horizon's LMDB key, made once: every read looks the horizon up, and a direct buffer
     * per lookup cost more than the lookup. Shared read-only; LMDB never moves its position.
     */
    private static final ByteBuffer GC_HORIZON_KEY = KeyCodec.storeKey(GC_HORIZON).asReadOnlyBuffer();

    private final LmdbTables tables;

    StoreRecords(LmdbTables tables) {
        this.tables = tables;
    }

    /** Stamps a new store with {@link #FORMAT_VERSION}; refuses a store of another version. */
    void checkFormat(Txn<ByteBuffer> txn) {
        Optional<ByteString> stored = storeEntry(txn, FORMAT);
        if (stored.isEmpty()) {
            putStoreEntry(txn, FORMAT, longBytes(FORMAT_VERSION));
            return;
        }
        long version = stored.get().asReadOnlyByteBuffer().getLong();
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("store at " + tables.dir + " has format version " + version
                    + "; this build reads version " + FORMAT_VERSION);
        }
    }

    Timestamp gcHorizon(Txn<ByteBuffer> txn) {
        ByteBuffer stored = tables.store.get(txn, GC_HORIZON_KEY);
        return stored == null ? Timestamp.MIN : new Timestamp(KeyCodec.longOf(stored, GC_HORIZON));
    }

    /** Raises the horizon to {@code watermark} unless it is already higher; returns the horizon. */
    Timestamp raiseGcHorizon(Txn<ByteBuffer> txn, Timestamp watermark) {
        Timestamp current = gcHorizon(txn);
        if (!watermark.isAfter(current)) {
            return current;
        }
        putStoreEntry(txn, GC_HORIZON, longBytes(watermark.micros()));
        return watermark;
    }

    /** Fails when a read at {@code readTs} is below the horizon stored in {@code txn}. */
    void checkReadable(Txn<ByteBuffer> txn, Timestamp readTs) {
        Timestamp horizon = gcHorizon(txn);
        if (readTs.isBefore(horizon)) {
            throw new ReadBelowHorizonException(readTs, horizon);
        }
    }

    long appliedIndex(Txn<ByteBuffer> txn, GroupId group) {
        ByteBuffer stored = tables.applied.get(txn, KeyCodec.groupKey(group));
        return stored == null ? MvccStore.NO_APPLIED_INDEX : KeyCodec.longOf(stored, "applied index of " + group);
    }

    void putAppliedIndex(Txn<ByteBuffer> txn, GroupId group, long index) {
        tables.applied.put(txn, KeyCodec.groupKey(group), KeyCodec.longBuffer(index));
    }

    Optional<ByteString> metadata(Txn<ByteBuffer> txn, GroupId group, String name) {
        ByteBuffer stored = tables.metadata.get(txn, KeyCodec.metadataKey(group, name));
        return Optional.ofNullable(stored).map(KeyCodec::copy);
    }

    void putMetadata(Txn<ByteBuffer> txn, GroupId group, String name, ByteString value) {
        tables.metadata.put(txn, KeyCodec.metadataKey(group, name), KeyCodec.direct(value));
    }

    void deleteMetadata(Txn<ByteBuffer> txn, GroupId group, String name) {
        tables.metadata.delete(txn, KeyCodec.metadataKey(group, name));
    }

    /** Calls {@code action} with each metadata name and value of the group, in name byte order. */
    void forEachMetadata(Txn<ByteBuffer> txn, GroupId group, BiConsumer<String, ByteString> action) {
        forEachInGroup(txn, tables.metadata, group,
                (key, value) -> action.accept(KeyCodec.metadataName(key), KeyCodec.copy(value)));
    }

    /** The group's metadata whose names start with {@code namePrefix}, in name byte order. */
    SortedMap<String, ByteString> metadataWithPrefix(Txn<ByteBuffer> txn, GroupId group, String namePrefix) {
        SortedMap<String, ByteString> found = new TreeMap<>(StoreRecords::compareUtf8);
        ByteBuffer prefix = KeyCodec.direct(KeyCodec.metadataKeyPrefix(group, namePrefix));
        try (Cursor<ByteBuffer> cursor = tables.metadata.openCursor(txn)) {
            for (boolean more = cursor.get(prefix, GetOp.MDB_SET_RANGE);
                 more && KeyCodec.startsWith(cursor.key(), prefix);
                 more = cursor.next()) {
                found.put(KeyCodec.metadataName(cursor.key()), KeyCodec.copy(cursor.val()));
            }
        }
        return Collections.unmodifiableSortedMap(found);
    }

    /** Orders names as LMDB orders their UTF-8 bytes (unsigned), not as {@link String#compareTo}. */
    private static int compareUtf8(String a, String b) {
        return ByteString.unsignedLexicographicalComparator()
                .compare(ByteString.copyFromUtf8(a), ByteString.copyFromUtf8(b));
    }

    List<PreparedTxn> preparedTxns(Txn<ByteBuffer> txn, GroupId group) {
        List<PreparedTxn> all = new ArrayList<>();
        forEachInGroup(txn, tables.prepared, group, (key, value) -> all.add(decodePrepared(value)));
        return all;
    }

    /** Calls {@code action} with each encoded prepared record of the group (an LMDB buffer). */
    void forEachPreparedRecord(Txn<ByteBuffer> txn, GroupId group, BiConsumer<ByteBuffer, ByteBuffer> action) {
        forEachInGroup(txn, tables.prepared, group, action);
    }

    void putPrepared(Txn<ByteBuffer> txn, GroupId group, PreparedTxn prepared) {
        tables.prepared.put(txn, KeyCodec.preparedKey(group, prepared.id()),
                PreparedTxnCodec.encode(prepared).toDirectBuffer());
    }

    void removePrepared(Txn<ByteBuffer> txn, GroupId group, TxnId id) {
        tables.prepared.delete(txn, KeyCodec.preparedKey(group, id));
    }

    /** Deletes every metadata entry and prepared record of the group. */
    void clearGroupRecords(Txn<ByteBuffer> txn, GroupId group) {
        for (Dbi<ByteBuffer> table : List.of(tables.metadata, tables.prepared)) {
            List<ByteBuffer> keys = new ArrayList<>();
            forEachInGroup(txn, table, group, (key, value) -> keys.add(KeyCodec.direct(KeyCodec.copy(key))));
            keys.forEach(key -> table.delete(txn, key));
        }
    }

    Optional<IncompleteImport> incompleteImport(Txn<ByteBuffer> txn, GroupId group) {
        ByteBuffer stored = tables.imports.get(txn, KeyCodec.groupKey(group));
        return Optional.ofNullable(stored).map(spans -> new IncompleteImport(group, decodeSpans(spans)));
    }

    List<IncompleteImport> incompleteImports(Txn<ByteBuffer> txn) {
        List<IncompleteImport> all = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = tables.imports.openCursor(txn)) {
            for (boolean found = cursor.first(); found; found = cursor.next()) {
                GroupId group = new GroupId(KeyCodec.longOf(cursor.key(), "import marker key"));
                all.add(new IncompleteImport(group, decodeSpans(cursor.val())));
            }
        }
        return all;
    }

    void putImportMarker(Txn<ByteBuffer> txn, GroupId group, List<KeySpan> spans) {
        RecordWriter out = new RecordWriter(64);
        out.putInt(spans.size());
        spans.forEach(span -> out.putShortBytes(span.start()).putShortBytes(span.end()));
        tables.imports.put(txn, KeyCodec.groupKey(group), out.toDirectBuffer());
    }

    void deleteImportMarker(Txn<ByteBuffer> txn, GroupId group) {
        tables.imports.delete(txn, KeyCodec.groupKey(group));
    }

    Optional<ByteString> storeEntry(Txn<ByteBuffer> txn, String name) {
        return Optional.ofNullable(tables.store.get(txn, KeyCodec.storeKey(name))).map(KeyCodec::copy);
    }

    void putStoreEntry(Txn<ByteBuffer> txn, String name, ByteString value) {
        tables.store.put(txn, KeyCodec.storeKey(name), KeyCodec.direct(value));
    }

    /** Decodes a prepared record read from LMDB; a bad one is corruption. */
    static PreparedTxn decodePrepared(ByteBuffer encoded) {
        try {
            return PreparedTxnCodec.decode(new RecordReader(encoded));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("corrupt prepared record in LMDB: " + e.getMessage(), e);
        }
    }

    private static List<KeySpan> decodeSpans(ByteBuffer encoded) {
        try {
            RecordReader in = new RecordReader(encoded);
            int count = in.getInt("span count");
            List<KeySpan> spans = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                spans.add(new KeySpan(in.getShortBytes("span start"), in.getShortBytes("span end")));
            }
            in.expectEnd("import marker");
            return spans;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("corrupt import marker in LMDB: " + e.getMessage(), e);
        }
    }

    private static void forEachInGroup(Txn<ByteBuffer> txn, Dbi<ByteBuffer> table, GroupId group,
                                       BiConsumer<ByteBuffer, ByteBuffer> action) {
        ByteBuffer prefix = KeyCodec.groupKey(group);
        try (Cursor<ByteBuffer> cursor = table.openCursor(txn)) {
            for (boolean found = cursor.get(prefix, GetOp.MDB_SET_RANGE);
                 found && KeyCodec.startsWith(cursor.key(), prefix);
                 found = cursor.next()) {
                action.accept(cursor.key(), cursor.val());
            }
        }
    }

    private static ByteString longBytes(long value) {
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(value).flip());
    }
}
