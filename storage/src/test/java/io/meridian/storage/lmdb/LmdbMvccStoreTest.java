package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.Mutation;
import io.meridian.storage.MvccStore;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.TxnId;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows the read and write contract of {@link LmdbMvccStore} case by case: a version at t is
 * invisible below t, tombstones hide keys, scans run both ways and page with resume keys,
 * batches apply in order and replay idempotently, timestamps per key must increase, and
 * metadata and prepared records are per group and survive reopening.
 */
class LmdbMvccStoreTest extends StoreTestSupport {

    private long index = 0;

    private WriteBatch.Builder batch(long commitMicros) {
        return WriteBatch.builder(GROUP, ++index).commitTs(ts(commitMicros));
    }

    private Optional<ByteString> valueAt(String key, long readMicros) {
        return store.get(bytes(key), ts(readMicros)).map(Version::value);
    }

    @Test
    void versionWrittenAtTIsInvisibleBelowT() {
        store.apply(batch(100).put(bytes("k"), bytes("v1")).build());
        store.apply(batch(200).put(bytes("k"), bytes("v2")).build());

        assertEquals(Optional.empty(), valueAt("k", 99));
        assertEquals(Optional.of(bytes("v1")), valueAt("k", 100));
        assertEquals(Optional.of(bytes("v1")), valueAt("k", 199));
        assertEquals(Optional.of(bytes("v2")), valueAt("k", 200));
        assertEquals(Optional.of(new Version(bytes("k"), bytes("v2"), ts(200))), store.get(bytes("k"), ts(Long.MAX_VALUE)));
    }

    @Test
    void tombstoneHidesTheKeyFromItsTimestampOn() {
        store.apply(batch(100).put(bytes("k"), bytes("v")).build());
        store.apply(batch(150).delete(bytes("k")).build());

        assertEquals(Optional.of(bytes("v")), valueAt("k", 149));
        assertEquals(Optional.empty(), valueAt("k", 150));
    }

    @Test
    void emptyValuesAreValuesNotDeletions() {
        store.apply(batch(100).put(bytes("k"), ByteString.EMPTY).build());

        assertEquals(Optional.of(ByteString.EMPTY), valueAt("k", 100));
    }

    @Test
    void keysThatArePrefixesOfEachOtherStayApartAndOrdered() {
        store.apply(batch(100).put(bytes("a\0"), bytes("2")).put(bytes("ab"), bytes("3")).put(bytes("a"), bytes("1")).build());
        store.apply(batch(101).put(bytes("a"), bytes("1b")).build());

        ScanResult all = store.scan(KeySpan.ALL, ts(101), 10, ScanDirection.FORWARD);

        assertEquals(List.of(bytes("a"), bytes("a\0"), bytes("ab")), keys(all));
        assertEquals(List.of(bytes("1b"), bytes("2"), bytes("3")), all.rows().stream().map(Version::value).toList());
        assertEquals(Optional.of(bytes("2")), valueAt("a\0", 101));
    }

    @Test
    void reverseScanReturnsDescendingKeysWithinTheSpan() {
        store.apply(batch(100).put(bytes("a"), bytes("1")).put(bytes("b"), bytes("2"))
                .put(bytes("c"), bytes("3")).put(bytes("d"), bytes("4")).build());

        ScanResult page = store.scan(new KeySpan(bytes("b"), bytes("d")), ts(100), 10, ScanDirection.REVERSE);

        assertEquals(List.of(bytes("c"), bytes("b")), keys(page));
        assertEquals(Optional.empty(), page.resumeKey());
        assertEquals(List.of(bytes("d"), bytes("c"), bytes("b"), bytes("a")),
                keys(store.scan(KeySpan.ALL, ts(100), 10, ScanDirection.REVERSE)));
    }

    @Test
    void scansSkipTombstonesAndVersionsFromTheFuture() {
        store.apply(batch(100).put(bytes("a"), bytes("1")).put(bytes("b"), bytes("2")).put(bytes("c"), bytes("3")).build());
        store.apply(batch(200).delete(bytes("b")).put(bytes("d"), bytes("4")).build());

        assertEquals(List.of(bytes("a"), bytes("b"), bytes("c")), keys(store.scan(KeySpan.ALL, ts(199), 10, ScanDirection.FORWARD)));
        assertEquals(List.of(bytes("d"), bytes("c"), bytes("a")), keys(store.scan(KeySpan.ALL, ts(200), 10, ScanDirection.REVERSE)));
    }

    @Test
    void pagingWithResumeKeysVisitsEveryRowOnceInBothDirections() {
        WriteBatch.Builder builder = batch(100);
        for (char c = 'a'; c <= 'j'; c++) {
            builder.put(bytes(String.valueOf(c)), bytes("v" + c));
        }
        store.apply(builder.build());
        store.apply(batch(101).delete(bytes("c")).delete(bytes("d")).build());
        KeySpan span = new KeySpan(bytes("b"), bytes("i"));

        for (ScanDirection direction : ScanDirection.values()) {
            List<ByteString> seen = new ArrayList<>();
            Optional<KeySpan> remaining = Optional.of(span);
            while (remaining.isPresent()) {
                ScanResult page = store.scan(remaining.get(), ts(101), 2, direction);
                assertTrue(page.rows().size() == 2 || page.resumeKey().isEmpty(), "only the last page may be short");
                seen.addAll(keys(page));
                remaining = page.remainder(remaining.get(), direction);
            }
            List<ByteString> expected = new ArrayList<>(List.of(bytes("b"), bytes("e"), bytes("f"), bytes("g"), bytes("h")));
            if (direction == ScanDirection.REVERSE) {
                expected = expected.reversed();
            }
            assertEquals(expected, seen, direction.name());
        }
    }

    @Test
    void resumeKeyIsAbsentWhenThePageEndsExactlyAtTheLastRow() {
        store.apply(batch(100).put(bytes("a"), bytes("1")).put(bytes("b"), bytes("2")).put(bytes("c"), bytes("3")).build());
        store.apply(batch(101).delete(bytes("c")).build());

        ScanResult forward = store.scan(KeySpan.ALL, ts(101), 2, ScanDirection.FORWARD);
        ScanResult reverse = store.scan(KeySpan.ALL, ts(101), 1, ScanDirection.REVERSE);

        assertEquals(Optional.empty(), forward.resumeKey());
        assertEquals(Optional.of(bytes("b")), reverse.resumeKey());
        assertEquals(Optional.of(new KeySpan(ByteString.EMPTY, bytes("b"))), reverse.remainder(KeySpan.ALL, ScanDirection.REVERSE));
    }

    @Test
    void mutationsOfABatchApplyInOrder() {
        store.apply(batch(100).put(bytes("k"), bytes("old")).build());
        store.apply(batch(200).put(bytes("k"), bytes("new")).delete(bytes("k"))
                .put(bytes("m"), bytes("x")).deleteRange(bytes("l"), bytes("n")).put(bytes("p"), bytes("last"))
                .deleteRange(bytes("p"), ByteString.EMPTY).put(bytes("p"), bytes("again")).build());

        assertEquals(Optional.of(bytes("old")), valueAt("k", 199));
        assertEquals(Optional.empty(), valueAt("k", 200));
        assertEquals(Optional.empty(), valueAt("m", 200));
        assertEquals(Optional.of(bytes("again")), valueAt("p", 200));
    }

    @Test
    void deleteRangeTombstonesOnlyKeysInsideTheSpan() {
        store.apply(batch(100).put(bytes("a"), bytes("1")).put(bytes("a\0"), bytes("2"))
                .put(bytes("ab"), bytes("3")).put(bytes("b"), bytes("4")).build());
        store.apply(batch(200).deleteRange(bytes("a\0"), bytes("b")).build());

        assertEquals(List.of(bytes("a"), bytes("b")), keys(store.scan(KeySpan.ALL, ts(200), 10, ScanDirection.FORWARD)));
        assertEquals(4, store.scan(KeySpan.ALL, ts(199), 10, ScanDirection.FORWARD).rows().size());
    }

    @Test
    void replayingAnAppliedIndexIsSkipped() {
        WriteBatch first = WriteBatch.builder(GROUP, 5).commitTs(ts(100)).put(bytes("k"), bytes("v1")).build();
        WriteBatch replayWithOtherContent = WriteBatch.builder(GROUP, 5).commitTs(ts(300)).put(bytes("k"), bytes("zzz")).build();
        WriteBatch older = WriteBatch.builder(GROUP, 3).commitTs(ts(400)).put(bytes("k"), bytes("yyy")).build();

        assertEquals(MvccStore.NO_APPLIED_INDEX, store.appliedIndex(GROUP));
        assertEquals(ApplyResult.APPLIED, store.apply(first));
        assertEquals(ApplyResult.ALREADY_APPLIED, store.apply(first));
        assertEquals(ApplyResult.ALREADY_APPLIED, store.apply(replayWithOtherContent));
        assertEquals(ApplyResult.ALREADY_APPLIED, store.apply(older));

        assertEquals(5, store.appliedIndex(GROUP));
        assertEquals(Optional.of(bytes("v1")), valueAt("k", 1000));
    }

    @Test
    void emptyBatchOnlyAdvancesTheAppliedIndexOfItsGroup() {
        GroupId other = new GroupId(2);
        assertEquals(ApplyResult.APPLIED, store.apply(WriteBatch.builder(GROUP, 0).build()));
        store.apply(WriteBatch.builder(other, 9).build());

        assertEquals(0, store.appliedIndex(GROUP));
        assertEquals(9, store.appliedIndex(other));
        assertEquals(MvccStore.NO_APPLIED_INDEX, store.appliedIndex(new GroupId(3)));
    }

    @Test
    void writeAtOrBelowTheNewestVersionOfAKeyIsRefusedAndNothingIsWritten() {
        store.apply(batch(200).put(bytes("k"), bytes("v")).build());
        long before = store.appliedIndex(GROUP);

        WriteBatch equal = WriteBatch.builder(GROUP, 10).commitTs(ts(200))
                .put(bytes("other"), bytes("x")).put(bytes("k"), bytes("again")).putMetadata("m", bytes("x")).build();
        NonIncreasingTimestampException refused = assertThrows(NonIncreasingTimestampException.class, () -> store.apply(equal));
        WriteBatch older = WriteBatch.builder(GROUP, 11).commitTs(ts(150)).delete(bytes("k")).build();
        assertThrows(NonIncreasingTimestampException.class, () -> store.apply(older));
        WriteBatch rangeOverIt = WriteBatch.builder(GROUP, 12).commitTs(ts(150)).deleteRange(bytes("a"), bytes("z")).build();
        assertThrows(NonIncreasingTimestampException.class, () -> store.apply(rangeOverIt));

        assertTrue(refused.getMessage().contains("200us"), refused.getMessage());
        assertEquals(before, store.appliedIndex(GROUP));
        assertEquals(Optional.empty(), valueAt("other", 1000));
        assertEquals(Optional.of(bytes("v")), valueAt("k", 1000));
        assertEquals(Optional.empty(), store.metadata(GROUP, "m"));
    }

    @Test
    void emptyKeyIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> store.get(ByteString.EMPTY, ts(1)));
        assertEquals("key must not be empty", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Mutation.Put(ByteString.EMPTY, bytes("v")));
    }

    @Test
    void metadataIsPerGroupAndCanBeDeleted() {
        GroupId other = new GroupId(2);
        store.apply(batch(1).putMetadata("range", bytes("[a, m)")).putMetadata("lease", bytes("L1")).build());
        store.apply(WriteBatch.builder(other, 1).putMetadata("range", bytes("[m, z)")).build());
        store.apply(batch(2).deleteMetadata("lease").build());

        assertEquals(Optional.of(bytes("[a, m)")), store.metadata(GROUP, "range"));
        assertEquals(Optional.of(bytes("[m, z)")), store.metadata(other, "range"));
        assertEquals(Optional.empty(), store.metadata(GROUP, "lease"));
    }

    @Test
    void metadataIsListedByNamePrefixPerGroupInNameByteOrder() {
        GroupId other = new GroupId(2);
        store.apply(batch(1).putMetadata("txn/02", bytes("b")).putMetadata("txn/01", bytes("a"))
                .putMetadata("txn", bytes("not under txn/")).putMetadata("txo/00", bytes("after the prefix"))
                .putMetadata("txn/\u00e9", bytes("two UTF-8 bytes")).putMetadata("txn/\uffff", bytes("three")).build());
        store.apply(WriteBatch.builder(other, 1).putMetadata("txn/01", bytes("other group")).build());
        store.apply(batch(2).deleteMetadata("txn/02").build());

        reopen();

        assertEquals(List.of("txn/01", "txn/\u00e9", "txn/\uffff"),
                List.copyOf(store.metadataWithPrefix(GROUP, "txn/").keySet()));
        assertEquals(bytes("a"), store.metadataWithPrefix(GROUP, "txn/").get("txn/01"));
        assertEquals(Map.of("txn/01", bytes("other group")), store.metadataWithPrefix(other, "txn/"));
        assertEquals(5, store.metadataWithPrefix(GROUP, "").size(), "an empty prefix lists the whole group");
        assertEquals(Map.of(), store.metadataWithPrefix(new GroupId(99), ""));
        assertThrows(LimitExceededException.class, () -> store.metadataWithPrefix(GROUP, "x".repeat(201)));
    }

    @Test
    void preparedRecordsKeepTheirDeadlineAndOldRecordsWithoutOneReadAsUnbounded() {
        PreparedTxn withDeadline = new PreparedTxn(new TxnId(0, 7), ts(40), GROUP,
                List.of(new Mutation.Put(bytes("x"), bytes("1"))), ts(900));
        store.apply(batch(1).putPrepared(withDeadline).build());
        reopen();
        assertEquals(List.of(withDeadline), store.preparedTxns(GROUP));

        // A record written before deadlines were stored ends after its mutations.
        byte[] encoded = PreparedTxnCodec.encode(withDeadline).toByteArray();
        byte[] old = java.util.Arrays.copyOf(encoded, encoded.length - Long.BYTES);
        PreparedTxn decoded = PreparedTxnCodec.decode(new RecordReader(java.nio.ByteBuffer.wrap(old)));
        assertEquals(new PreparedTxn(withDeadline.id(), ts(40), GROUP, withDeadline.writes()), decoded);
        assertEquals(Timestamp.MAX, decoded.deadline());
        byte[] cut = java.util.Arrays.copyOf(encoded, encoded.length - 3);
        assertThrows(IllegalArgumentException.class,
                () -> PreparedTxnCodec.decode(new RecordReader(java.nio.ByteBuffer.wrap(cut))));
    }

    @Test
    void preparedRecordsSurviveReopenAndAreListedInTxnOrder() {
        PreparedTxn second = new PreparedTxn(new TxnId(0, 2), ts(50), new GroupId(7),
                List.of(new Mutation.Put(bytes("x"), bytes("1")), new Mutation.DeleteRange(bytes("a"), ByteString.EMPTY)));
        PreparedTxn first = new PreparedTxn(new TxnId(0, 1), ts(40), GROUP, List.of(new Mutation.Delete(bytes("y"))));
        PreparedTxn removed = new PreparedTxn(new TxnId(-1, 0), ts(45), GROUP, List.of());
        store.apply(batch(1).putPrepared(second).putPrepared(removed).build());
        store.apply(batch(2).putPrepared(first).removePrepared(removed.id()).build());
        store.apply(WriteBatch.builder(new GroupId(2), 1).putPrepared(removed).build());

        reopen();

        assertEquals(List.of(first, second), store.preparedTxns(GROUP));
        assertEquals(List.of(removed), store.preparedTxns(new GroupId(2)));
        assertEquals(2, store.appliedIndex(GROUP));
    }

    @Test
    void closedStoreRefusesCallsAndClosesTwiceQuietly() {
        store.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> store.get(bytes("k"), ts(1)));
        assertEquals("the store is closed", refused.getMessage());
        store.close();
    }

    private static List<ByteString> keys(ScanResult page) {
        return page.rows().stream().map(Version::key).toList();
    }
}
