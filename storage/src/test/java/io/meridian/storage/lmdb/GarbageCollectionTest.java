package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows version GC: reads below the horizon fail with both timestamps in the message, the
 * newest version at or below the watermark is kept so reads at or above the horizon are
 * unchanged, older versions and dead tombstones are removed, and the horizon only moves
 * forward and survives reopening.
 */
class GarbageCollectionTest extends StoreTestSupport {

    private long index;

    private void write(long micros, String key, String value) {
        WriteBatch.Builder batch = WriteBatch.builder(GROUP, ++index).commitTs(ts(micros));
        store.apply(value == null ? batch.delete(bytes(key)).build() : batch.put(bytes(key), bytes(value)).build());
    }

    private Optional<ByteString> valueAt(String key, long micros) {
        return store.get(bytes(key), ts(micros)).map(Version::value);
    }

    @Test
    void readsBelowTheHorizonFailAndNameBothTimestamps() {
        write(100, "k", "v");
        store.collectGarbage(ts(150));

        ReadBelowHorizonException error = assertThrows(ReadBelowHorizonException.class, () -> valueAt("k", 149));
        assertEquals(ts(149), error.readTs());
        assertEquals(ts(150), error.horizon());
        assertTrue(error.getMessage().contains("149us") && error.getMessage().contains("150us"), error.getMessage());
        assertThrows(ReadBelowHorizonException.class, () -> store.scan(KeySpan.ALL, ts(10), 5, ScanDirection.REVERSE));
        assertEquals(Optional.of(bytes("v")), valueAt("k", 150));
    }

    @Test
    void keepsTheNewestVersionAtOrBelowTheWatermarkAndRemovesOlderOnes() {
        write(100, "k", "v100");
        write(200, "k", "v200");
        write(300, "k", "v300");
        write(400, "k", "v400");

        assertEquals(1, store.collectGarbage(ts(250)));

        assertEquals(Optional.of(bytes("v200")), valueAt("k", 250));
        assertEquals(Optional.of(bytes("v200")), valueAt("k", 299));
        assertEquals(Optional.of(bytes("v300")), valueAt("k", 300));
        assertEquals(Optional.of(bytes("v400")), valueAt("k", 1000));
        assertEquals(0, store.collectGarbage(ts(250)), "a second run at the same watermark has nothing left");
    }

    @Test
    void watermarkExactlyAtAVersionKeepsThatVersion() {
        write(100, "k", "v100");
        write(200, "k", "v200");

        assertEquals(1, store.collectGarbage(ts(200)));

        assertEquals(Optional.of(bytes("v200")), valueAt("k", 200));
    }

    @Test
    void tombstoneAtOrBelowTheWatermarkGoesWithEverythingOlder() {
        write(100, "dead", "v");
        write(200, "dead", null);
        write(100, "revived", "v1");
        write(200, "revived", null);
        write(300, "revived", "v2");

        assertEquals(4, store.collectGarbage(ts(250)));

        assertEquals(Optional.empty(), valueAt("dead", 250));
        assertEquals(Optional.empty(), valueAt("revived", 299));
        assertEquals(Optional.of(bytes("v2")), valueAt("revived", 300));
        assertEquals(1, store.scan(KeySpan.ALL, ts(1000), 10, ScanDirection.FORWARD).rows().size());
    }

    @Test
    void horizonNeverMovesBackwardsAndSurvivesReopen() {
        assertEquals(Timestamp.MIN, store.gcHorizon());
        store.collectGarbage(ts(500));
        store.collectGarbage(ts(300));
        assertEquals(ts(500), store.gcHorizon());

        reopen();

        assertEquals(ts(500), store.gcHorizon());
        assertThrows(ReadBelowHorizonException.class, () -> valueAt("k", 499));
    }

    @Test
    void collectsAcrossManyTransactionPages() {
        int keys = 2000;
        for (int i = 0; i < keys; i++) {
            WriteBatch.Builder batch = WriteBatch.builder(GROUP, ++index).commitTs(ts(100 + i));
            store.apply(batch.put(bytes(String.format("k%05d", i)), bytes("old")).build());
        }
        WriteBatch.Builder rewrite = WriteBatch.builder(GROUP, ++index).commitTs(ts(5000));
        for (int i = 0; i < keys; i++) {
            rewrite.put(bytes(String.format("k%05d", i)), bytes("new"));
        }
        store.apply(rewrite.build());

        assertEquals(keys, store.collectGarbage(ts(6000)));

        var page = store.scan(KeySpan.ALL, ts(6000), keys, ScanDirection.FORWARD);
        assertEquals(keys, page.rows().size());
        assertTrue(page.rows().stream().allMatch(row -> row.value().equals(bytes("new"))));
    }
}
