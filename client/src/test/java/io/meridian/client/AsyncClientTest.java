package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows the asynchronous face: the same operations complete futures with the same values, and
 * a failed future's cause is the same typed exception the blocking call throws.
 */
class AsyncClientTest {

    private FakeCluster cluster;
    private FakeNode node;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("async", 1);
        node = cluster.node(1);
        client = cluster.clientBuilder(new ManualClock(), node).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    @Test
    void writeThenGetThroughFutures() throws Exception {
        Timestamp committed = client.async().write(Mutation.put("k", "v")).get();

        KeyValue row = client.async().get("k").get().orElseThrow();
        ReadResult result = client.async().read(List.of(ByteString.copyFromUtf8("k"))).get();

        assertEquals("v", row.valueUtf8());
        assertEquals(committed, row.versionTimestamp());
        assertEquals(1, result.rows().size());
    }

    @Test
    void transactionRunsOnAVirtualThread() throws Exception {
        cluster.put("n", "1");

        TransactionResult<Boolean> result = client.async().readWriteTransaction(txn -> {
            txn.put("n", txn.get("n").orElseThrow().valueUtf8() + "1");
            return Thread.currentThread().isVirtual();
        }).get();

        assertTrue(result.value());
        assertEquals("11", cluster.value("n"));
    }

    @Test
    void failureIsTheTypedException() {
        node.failCommit(Statuses.commitAmbiguous());

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.async().write(Mutation.put("k", "v")).get());

        assertInstanceOf(AmbiguousCommitException.class, e.getCause());
    }
}
