package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.v1.ReadRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows a read-only transaction: it begins at its first read (not before), every read names it
 * and reports its one timestamp, writes committed later stay invisible, and when its node
 * forgets it the reads continue at the same snapshot as single-use reads.
 */
class ReadOnlyTransactionTest {

    private FakeCluster cluster;
    private FakeNode node;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("ro", 1);
        node = cluster.node(1);
        cluster.put("a", "1");
        client = cluster.clientBuilder(new ManualClock(), node).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    @Test
    void beginsLazilyAndReadsAtItsTimestamp() {
        try (ReadOnlyTransaction txn = client.readOnlyTransaction(TimestampBound.strong())) {
            assertTrue(node.begins.isEmpty(), "nothing is sent before the first read");

            ReadResult result = txn.read("a", "missing");

            assertEquals(1, node.begins.size());
            assertTrue(node.begins.get(0).getOptions().getReadOnly().getBound().getStrong());
            assertEquals(txn.readTimestamp(), result.readTimestamp());
            assertEquals("1", result.get("a").orElseThrow().valueUtf8());
            assertTrue(result.get("missing").isEmpty());
            ReadRequest read = node.reads.get(0);
            assertTrue(read.getTransaction().hasTransactionId());
        }
        assertEquals(1, node.rollbacks.size(), "close ends the transaction on the server");
    }

    @Test
    void nodeForgettingTheTransactionFallsBackToASnapshotRead() {
        try (ReadOnlyTransaction txn = client.readOnlyTransaction()) {
            Timestamp ts = txn.readTimestamp();
            node.forgetTransactions();

            assertEquals("1", txn.get("a").orElseThrow().valueUtf8());

            ReadRequest fallback = node.reads.get(node.reads.size() - 1);
            assertEquals(ts.micros(), fallback.getTransaction().getSingleUse().getReadTimestamp().getMicros());
        }
    }

    @Test
    void closedTransactionRefusesReads() {
        ReadOnlyTransaction txn = client.readOnlyTransaction();
        txn.close();

        assertThrows(IllegalStateException.class, () -> txn.get("a"));
        assertTrue(node.rollbacks.isEmpty(), "a transaction that never began has nothing to end");
    }
}
