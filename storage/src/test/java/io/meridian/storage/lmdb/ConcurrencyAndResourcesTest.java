package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.StoreResourceExhaustedException;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows the store under concurrent use and at its resource limits: readers running beside a
 * writer always see whole batches; a full LMDB map fails the write with
 * {@link StoreResourceExhaustedException} and leaves the store readable and consistent; a store
 * that fsyncs every commit behaves the same as the default one.
 */
class ConcurrencyAndResourcesTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentReadersSeeEveryBatchWhole() throws Exception {
        int batches = 2000;
        List<ByteString> keys = List.of(bytes("x"), bytes("y"), bytes("z"));
        try (LmdbMvccStore store = TestData.open(dir)) {
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService readers = Executors.newFixedThreadPool(3);
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                results.add(readers.submit(() -> {
                    int checks = 0;
                    while (writing.get() || checks == 0) {
                        ScanResult page = store.scan(KeySpan.ALL, Timestamp.MAX, 10, ScanDirection.FORWARD);
                        List<ByteString> values = page.rows().stream().map(Version::value).distinct().toList();
                        assertTrue(values.size() <= 1, "a reader saw a partial batch: " + page.rows());
                        checks++;
                    }
                    return checks;
                }));
            }
            for (int i = 1; i <= batches; i++) {
                WriteBatch.Builder batch = WriteBatch.builder(GROUP, i).commitTs(ts(i));
                ByteString value = bytes(Integer.toString(batches - i));
                keys.forEach(key -> batch.put(key, value));
                store.apply(batch.build());
            }
            writing.set(false);
            for (Future<Integer> result : results) {
                assertTrue(result.get() > 0);
            }
            readers.shutdown();
            assertEquals(batches, store.appliedIndex(GROUP));
        }
    }

    @Test
    void fullMapFailsTheWriteAndKeepsTheStoreConsistent() {
        LmdbOptions small = TestData.options(dir).withMapSizeBytes(4L << 20);
        ByteString value = ByteString.copyFrom(new byte[512 << 10]);
        try (LmdbMvccStore store = LmdbMvccStore.open(dir, small)) {
            long index = 0;
            StoreResourceExhaustedException full = null;
            while (full == null && index < 100) {
                WriteBatch batch = WriteBatch.builder(GROUP, ++index).commitTs(ts(index))
                        .put(bytes("k" + index), value).put(bytes("last"), bytes(Long.toString(index))).build();
                try {
                    store.apply(batch);
                } catch (StoreResourceExhaustedException e) {
                    full = e;
                }
            }
            assertTrue(full != null && full.getMessage().contains("mapSizeBytes"), String.valueOf(full));
            long applied = store.appliedIndex(GROUP);
            assertEquals(index - 1, applied);
            assertEquals(Optional.of(bytes(Long.toString(applied))), store.get(bytes("last"), Timestamp.MAX).map(Version::value));
            assertEquals(Optional.empty(), store.get(bytes("k" + index), Timestamp.MAX));
        }
    }

    @Test
    void storeThatSyncsEveryCommitKeepsItsDataAcrossReopen() {
        LmdbOptions syncing = TestData.options(dir).withSyncOnCommit(true);
        try (LmdbMvccStore store = LmdbMvccStore.open(dir, syncing)) {
            store.apply(WriteBatch.builder(GROUP, 1).commitTs(ts(5)).put(bytes("k"), bytes("v")).build());
            store.sync();
        }
        try (LmdbMvccStore store = LmdbMvccStore.open(dir, syncing)) {
            assertEquals(Optional.of(bytes("v")), store.get(bytes("k"), ts(5)).map(Version::value));
        }
    }

    @Test
    void closeRefusesNewSnapshotsAndSnapshotsRefuseUseAfterClose() {
        LmdbMvccStore store = TestData.open(dir);
        store.apply(WriteBatch.builder(GROUP, 1).commitTs(ts(5)).put(bytes("k"), bytes("v")).build());
        SpanSnapshot snapshot = store.exportSpan(GROUP, KeySpan.ALL);
        snapshot.close();
        snapshot.close();
        assertThrows(IllegalStateException.class, () -> snapshot.writeTo(OutputStream.nullOutputStream()));
        store.close();
        assertThrows(IllegalStateException.class, () -> store.exportSpan(GROUP, KeySpan.ALL));
    }
}
