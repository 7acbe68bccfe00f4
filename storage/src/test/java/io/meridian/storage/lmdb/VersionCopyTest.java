package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.StoredVersion;
import io.meridian.storage.Version;
import io.meridian.storage.VersionPage;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shows the two storage operations a range move is built on: {@code versions} returns a span's
 * raw history (puts and tombstones, in a timestamp window, paged by whole keys), and
 * {@code ingest} writes such versions back at their own timestamps, below newer versions, and
 * skips a version that is already stored (a second group sharing the node's store).
 */
class VersionCopyTest extends StoreTestSupport {

    private static final GroupId TARGET = new GroupId(2);
    private long index = 0;

    private WriteBatch.Builder batch(long commitMicros) {
        return WriteBatch.builder(GROUP, ++index).commitTs(ts(commitMicros));
    }

    private static StoredVersion put(String key, long micros, String value) {
        return new StoredVersion(bytes(key), ts(micros), Optional.of(bytes(value)));
    }

    private static StoredVersion tombstone(String key, long micros) {
        return new StoredVersion(bytes(key), ts(micros), Optional.empty());
    }

    private void writeHistory() {
        store.apply(batch(100).put(bytes("a"), bytes("a1")).put(bytes("b"), bytes("b1")).put(bytes("z"), bytes("z1")).build());
        store.apply(batch(200).delete(bytes("a")).put(bytes("c"), bytes("c1")).build());
        store.apply(batch(300).put(bytes("a"), bytes("a3")).build());
    }

    @Test
    void versionsReturnsEveryStoredVersionInTheWindowOldestFirstPerKey() {
        writeHistory();

        VersionPage all = store.versions(new KeySpan(bytes("a"), bytes("d")), Timestamp.MIN, ts(300), Optional.empty(), 100);

        assertEquals(List.of(put("a", 100, "a1"), tombstone("a", 200), put("a", 300, "a3"), put("b", 100, "b1"),
                put("c", 200, "c1")), all.versions());
        assertEquals(Optional.empty(), all.resumeAfterKey());
        VersionPage window = store.versions(new KeySpan(bytes("a"), bytes("d")), ts(100), ts(200), Optional.empty(), 100);
        assertEquals(List.of(tombstone("a", 200), put("c", 200, "c1")), window.versions());
    }

    @Test
    void versionsPagesByWholeKeys() {
        writeHistory();
        KeySpan span = new KeySpan(bytes("a"), bytes("d"));

        List<StoredVersion> collected = new ArrayList<>();
        Optional<ByteString> resume = Optional.empty();
        int pages = 0;
        do {
            VersionPage page = store.versions(span, Timestamp.MIN, Timestamp.MAX, resume, 1);
            collected.addAll(page.versions());
            resume = page.resumeAfterKey();
            pages++;
        } while (resume.isPresent());

        assertEquals(5, collected.size());
        assertEquals(put("a", 300, "a3"), collected.get(2), "the first page holds all three versions of a");
        assertEquals(4, pages, "a, b, c, then an empty last page");
    }

    @Test
    void ingestRebuildsTheSameHistoryInAnotherStoreAtTheOriginalTimestamps() throws Exception {
        writeHistory();
        VersionPage copy = store.versions(KeySpan.ALL, Timestamp.MIN, Timestamp.MAX, Optional.empty(), 100);
        try (LmdbMvccStore other = TestData.open(dir.resolveSibling(dir.getFileName() + "-other"))) {
            WriteBatch.Builder ingest = WriteBatch.builder(TARGET, 0);
            copy.versions().forEach(ingest::ingest);
            other.apply(ingest.build());

            for (long t : new long[] {99, 100, 199, 200, 299, 300}) {
                for (String key : List.of("a", "b", "c", "z")) {
                    assertEquals(store.get(bytes(key), ts(t)), other.get(bytes(key), ts(t)), key + " at " + t);
                }
            }
        }
    }

    @Test
    void ingestLandsBelowNewerVersionsAndSkipsVersionsAlreadyStored() {
        writeHistory();
        WriteBatch.Builder ingest = WriteBatch.builder(TARGET, 0)
                .ingest(put("a", 100, "different"))   // already stored at 100: skipped
                .ingest(put("a", 150, "a15"))         // below the newest version: allowed
                .ingest(tombstone("b", 250));

        assertEquals(ApplyResult.APPLIED, store.apply(ingest.build()));

        assertEquals(Optional.of(bytes("a1")), store.get(bytes("a"), ts(100)).map(Version::value));
        assertEquals(Optional.of(bytes("a15")), store.get(bytes("a"), ts(199)).map(Version::value));
        assertEquals(Optional.of(bytes("a3")), store.get(bytes("a"), ts(300)).map(Version::value));
        assertEquals(Optional.empty(), store.get(bytes("b"), ts(250)));
        assertEquals(Optional.of(bytes("b1")), store.get(bytes("b"), ts(249)).map(Version::value));
        assertEquals(6, store.versions(new KeySpan(bytes("a"), bytes("c")), Timestamp.MIN, Timestamp.MAX,
                Optional.empty(), 100).versions().size());
    }

    @Test
    void ordinaryWritesStillMustIncreaseAfterAnIngest() {
        store.apply(WriteBatch.builder(TARGET, 0).ingest(put("k", 500, "v")).build());

        assertThrows(NonIncreasingTimestampException.class,
                () -> store.apply(batch(400).put(bytes("k"), bytes("old")).build()));
    }

    @Test
    void aLateReplicaWriteKeepsTheCopyOfItselfAndWritesTheRest() {
        // Another group's replica on this store ingested "k"@500 (this write, copied by a move)
        // before this replica applied the write, which also touches "other" outside the range.
        store.apply(WriteBatch.builder(TARGET, 0).ingest(put("k", 500, "v")).build());

        assertThrows(NonIncreasingTimestampException.class,
                () -> store.apply(batch(500).put(bytes("k"), bytes("v")).build()));
        assertEquals(ApplyResult.APPLIED, store.apply(batch(500).keepCopiedVersions()
                .put(bytes("k"), bytes("v")).put(bytes("other"), bytes("o")).delete(bytes("gone")).build()));

        assertEquals(Optional.of(bytes("v")), store.get(bytes("k"), ts(500)).map(Version::value));
        assertEquals(Optional.of(bytes("o")), store.get(bytes("other"), ts(500)).map(Version::value));
        // Still refused below the copied version.
        assertThrows(NonIncreasingTimestampException.class,
                () -> store.apply(batch(499).keepCopiedVersions().put(bytes("k"), bytes("old")).build()));
    }

    @Test
    void versionsRefusesABadWindowOrLimit() {
        assertThrows(IllegalArgumentException.class,
                () -> store.versions(KeySpan.ALL, ts(2), ts(1), Optional.empty(), 10));
        assertThrows(IllegalArgumentException.class,
                () -> store.versions(KeySpan.ALL, ts(1), ts(2), Optional.empty(), 0));
    }
}
