package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Limit;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shows that where a value is stored (inline in its {@code versions} duplicate up to
 * {@link KeyCodec#INLINE_VALUE_BYTES_MAX} bytes, in {@code values} above) never changes what a
 * reader sees: values of exactly the threshold and one byte above it, and a key whose versions
 * mix both, read back the same through get, scans, reopening, GC, same-timestamp replacement
 * and export/import, and GC leaves no external value behind.
 */
class InlineValuesTest extends StoreTestSupport {

    private static final int THRESHOLD = KeyCodec.INLINE_VALUE_BYTES_MAX;

    private long index;

    /** {@code size} bytes that differ per {@code seed}, so versions are told apart. */
    private static ByteString value(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return ByteString.copyFrom(bytes);
    }

    private void put(long micros, String key, ByteString value) {
        store.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(micros)).put(bytes(key), value).build());
    }

    private void delete(long micros, String key) {
        store.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(micros)).delete(bytes(key)).build());
    }

    private Optional<ByteString> valueAt(LmdbMvccStore from, String key, long micros) {
        return from.get(bytes(key), ts(micros)).map(Version::value);
    }

    private List<Version> scan(LmdbMvccStore from, long micros, ScanDirection direction) {
        return from.scan(KeySpan.ALL, ts(micros), 100, direction).rows();
    }

    /** Entries of the {@code values} table, read from the files with the store closed. */
    private long externalValuesStored() {
        store.close();
        LmdbTables tables = LmdbTables.open(dir, TestData.options(dir));
        try {
            return tables.read(txn -> tables.values.stat(txn).entries);
        } finally {
            tables.close();
            store = TestData.open(dir);
        }
    }

    @Test
    void valuesAtAndJustAboveTheThresholdRoundTrip() throws IOException {
        ByteString atThreshold = value(THRESHOLD, 1);
        ByteString aboveThreshold = value(THRESHOLD + 1, 2);
        ByteString largest = value(Math.toIntExact(Limit.VALUE_BYTES.max()), 3);
        put(100, "at", atThreshold);
        put(100, "above", aboveThreshold);
        put(100, "empty", ByteString.EMPTY);
        put(100, "largest", largest);
        assertEquals(2, externalValuesStored());

        List<Version> expected = List.of(new Version(bytes("above"), aboveThreshold, ts(100)),
                new Version(bytes("at"), atThreshold, ts(100)),
                new Version(bytes("empty"), ByteString.EMPTY, ts(100)),
                new Version(bytes("largest"), largest, ts(100)));
        assertEquals(Optional.of(atThreshold), valueAt(store, "at", 100));
        assertEquals(Optional.of(aboveThreshold), valueAt(store, "above", 150));
        assertEquals(expected, scan(store, 100, ScanDirection.FORWARD));
        assertEquals(expected.reversed(), scan(store, 100, ScanDirection.REVERSE));

        put(200, "at", aboveThreshold);
        put(200, "above", atThreshold);
        assertEquals(2, store.collectGarbage(ts(200)));
        assertEquals(Optional.of(aboveThreshold), valueAt(store, "at", 200));
        assertEquals(Optional.of(atThreshold), valueAt(store, "above", 200));
        assertEquals(Optional.of(largest), valueAt(store, "largest", 200));
        assertEquals(2, externalValuesStored(), "at@200 and largest remain external, above@100 was collected");

        try (LmdbMvccStore copy = TestData.open(dir.resolve("copy"))) {
            copy.importSpan(GROUP, KeySpan.ALL, new ByteArrayInputStream(export()));
            assertEquals(scan(store, 200, ScanDirection.FORWARD), scan(copy, 200, ScanDirection.FORWARD));
            assertEquals(Optional.of(aboveThreshold), valueAt(copy, "at", 300));
            assertEquals(Optional.of(atThreshold), valueAt(copy, "above", 300));
        }
    }

    @Test
    void aKeyMixesInlineAndExternalVersions() throws IOException {
        ByteString small = value(10, 1);
        ByteString large = value(THRESHOLD + 1, 2);
        ByteString exact = value(THRESHOLD, 3);
        ByteString huge = value(5000, 4);
        put(100, "k", small);
        put(200, "k", large);
        delete(300, "k");
        put(400, "k", exact);
        put(500, "k", huge);
        reopen();

        assertEquals(Optional.empty(), valueAt(store, "k", 99));
        assertEquals(Optional.of(small), valueAt(store, "k", 199));
        assertEquals(Optional.of(large), valueAt(store, "k", 200));
        assertEquals(Optional.empty(), valueAt(store, "k", 399));
        assertEquals(Optional.of(exact), valueAt(store, "k", 499));
        assertEquals(Optional.of(huge), valueAt(store, "k", 500));
        assertEquals(List.of(new Version(bytes("k"), exact, ts(400))), scan(store, 450, ScanDirection.REVERSE));

        byte[] exported = export();
        try (LmdbMvccStore copy = TestData.open(dir.resolve("copy"))) {
            copy.importSpan(GROUP, KeySpan.ALL, new ByteArrayInputStream(exported));
            for (long micros = 99; micros <= 501; micros += 50) {
                assertEquals(valueAt(store, "k", micros), valueAt(copy, "k", micros), "at " + micros);
            }
            // Importing again clears the earlier import's inline and external versions first.
            copy.importSpan(GROUP, KeySpan.ALL, new ByteArrayInputStream(exported));
            assertEquals(Optional.of(large), valueAt(copy, "k", 250));
        }

        assertEquals(3, store.collectGarbage(ts(450)), "small, large and the tombstone");
        assertEquals(Optional.of(exact), valueAt(store, "k", 450));
        assertEquals(Optional.of(huge), valueAt(store, "k", 500));
        assertEquals(1, externalValuesStored());
        assertEquals(1, store.collectGarbage(ts(500)));
        assertEquals(1, externalValuesStored());
    }

    @Test
    void aBatchReplacesItsOwnVersionWhateverWhereTheValueLives() {
        ByteString small = value(5, 1);
        ByteString large = value(THRESHOLD + 1, 2);
        store.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(100))
                .put(bytes("a"), large).put(bytes("a"), small)
                .put(bytes("b"), small).put(bytes("b"), large)
                .put(bytes("c"), large).delete(bytes("c"))
                .put(bytes("d"), small).delete(bytes("d"))
                .build());

        assertEquals(Optional.of(small), valueAt(store, "a", 100));
        assertEquals(Optional.of(large), valueAt(store, "b", 100));
        assertEquals(Optional.empty(), valueAt(store, "c", 100));
        assertEquals(Optional.empty(), valueAt(store, "d", 100));
        assertEquals(1, externalValuesStored(), "only b's value is external");
    }

    private byte[] export() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SpanSnapshot snapshot = store.exportSpan(GROUP, KeySpan.ALL)) {
            snapshot.writeTo(out);
        }
        return out.toByteArray();
    }
}
