package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.ReadRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows that a {@link Scan} pages lazily — no request before it is consumed, one more page
 * only when the previous one is used up, as the fake's count of Read calls shows — crosses
 * page boundaries without losing or repeating rows, reads every page at the first page's
 * timestamp, and honours limit, reverse order and page size.
 */
class ScanTest {

    private static final int KEYS = 2_500;

    private FakeCluster cluster;
    private FakeNode node;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("scan", 1);
        node = cluster.node(1);
        for (int i = 0; i < KEYS; i++) {
            cluster.put(key(i), "v" + i);
        }
        cluster.put("other", "x");
        client = cluster.clientBuilder(new ManualClock(), node).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    private static String key(int i) {
        return String.format("key-%04d", i);
    }

    private List<ReadRequest> rangeReads() {
        return node.reads.stream().filter(ReadRequest::hasRange).toList();
    }

    @Test
    void pagesAreFetchedOnlyAsRowsAreConsumed() {
        try (Scan scan = client.singleUse().scan(KeySpan.prefix("key-"))) {
            assertEquals(0, rangeReads().size(), "nothing is read before the scan is consumed");

            Iterator<KeyValue> rows = scan.iterator();
            for (int i = 0; i < 1_000; i++) {
                assertEquals(key(i), rows.next().keyUtf8());
            }
            assertEquals(1, rangeReads().size(), "the first page covers the first 1,000 rows");

            assertEquals(key(1_000), rows.next().keyUtf8());
            assertEquals(2, rangeReads().size());
        }
    }

    @Test
    void wholeScanCrossesPagesAtOneTimestamp() {
        List<String> keys = new ArrayList<>();
        Timestamp readTimestamp;
        try (Scan scan = client.singleUse().scan(KeySpan.prefix("key-"))) {
            scan.forEach(row -> keys.add(row.keyUtf8()));
            readTimestamp = scan.readTimestamp();
        }

        assertEquals(KEYS, keys.size());
        assertEquals(key(0), keys.get(0));
        assertEquals(key(KEYS - 1), keys.get(KEYS - 1));
        assertEquals(KEYS, keys.stream().distinct().count());
        List<ReadRequest> reads = rangeReads();
        assertEquals(3, reads.size());
        assertTrue(reads.get(0).getTransaction().getSingleUse().getStrong());
        for (ReadRequest later : reads.subList(1, 3)) {
            assertEquals(readTimestamp.micros(), later.getTransaction().getSingleUse().getReadTimestamp().getMicros(),
                    "later pages read the first page's snapshot");
            assertFalse(later.getResumeKey().isEmpty());
        }
    }

    @Test
    void readTimestampFetchesOnlyTheFirstPage() {
        try (Scan scan = client.singleUse().scan(KeySpan.all())) {
            Timestamp ts = scan.readTimestamp();

            assertEquals(1, rangeReads().size());
            assertEquals(ts, scan.readTimestamp());
            assertEquals(key(0), scan.iterator().next().keyUtf8());
            assertEquals(1, rangeReads().size(), "the first page is not fetched twice");
        }
    }

    @Test
    void limitStopsTheScanAndShrinksTheLastPage() {
        try (Scan scan = client.singleUse().scan(KeySpan.prefix("key-"), ScanOptions.defaults().withLimit(1_500))) {
            assertEquals(1_500, scan.stream().count());
        }

        List<ReadRequest> reads = rangeReads();
        assertEquals(2, reads.size());
        assertEquals(1_000, reads.get(0).getLimit());
        assertEquals(500, reads.get(1).getLimit());
    }

    @Test
    void reverseScanReturnsDescendingKeysAcrossSmallPages() {
        List<String> keys;
        try (Scan scan = client.singleUse().scan(KeySpan.of("key-0990", "key-1010"),
                ScanOptions.defaults().withReverse(true).withPageSize(7))) {
            keys = scan.stream().map(KeyValue::keyUtf8).toList();
        }

        List<String> expected = new ArrayList<>();
        for (int i = 1_009; i >= 990; i--) {
            expected.add(key(i));
        }
        assertEquals(expected, keys);
        assertEquals(3, rangeReads().size(), "20 rows in pages of 7");
    }

    @Test
    void closingTheStreamStopsPaging() {
        try (Stream<KeyValue> rows = client.singleUse().scan(KeySpan.all()).stream()) {
            assertEquals(List.of(key(0), key(1)), rows.limit(2).map(KeyValue::keyUtf8).toList());
        }
        assertEquals(1, rangeReads().size());
    }

    @Test
    void aScanIsIteratedOnce() {
        try (Scan scan = client.singleUse().scan(KeySpan.all())) {
            scan.iterator();
            assertThrows(IllegalStateException.class, scan::iterator);
        }
    }

    @Test
    void scanInsideATransactionIsALockingReadOfTheTransaction() {
        TransactionResult<Long> result = client.readWriteTransaction(txn -> {
            try (Scan scan = txn.scan(KeySpan.prefix("key-"), ScanOptions.defaults().withPageSize(1_000))) {
                return scan.stream().count();
            }
        });

        assertEquals(KEYS, result.value());
        ByteString txnId = node.commits.get(0).getTransactionId();
        assertEquals(3, rangeReads().size());
        rangeReads().forEach(read -> assertEquals(txnId, read.getTransaction().getTransactionId()));
    }
}
