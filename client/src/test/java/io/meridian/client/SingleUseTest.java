package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.meridian.api.v1.ReadRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows single-use reads and blind writes: the bound is sent as given, every read reports its
 * timestamp, a long key list is read in batches at one snapshot, an aborted blind write is
 * retried but an ambiguous one is not, and refusals that cannot succeed are not retried.
 */
class SingleUseTest {

    private FakeCluster cluster;
    private FakeNode node;
    private ManualClock clock;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("single", 1);
        node = cluster.node(1);
        clock = new ManualClock();
        client = cluster.clientBuilder(clock, node).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    @Test
    void writeThenReadReportsTheTimestamps() {
        Timestamp committed = client.write(Mutation.put("k", "v"), Mutation.put("j", "w"));

        ReadResult result = client.singleUse().read("k", "j", "absent");

        assertTrue(node.commits.get(0).getSingleUse());
        assertEquals(List.of("k", "j"), result.rows().stream().map(KeyValue::keyUtf8).toList());
        assertEquals(committed, result.rows().get(0).versionTimestamp());
        assertTrue(result.readTimestamp().compareTo(committed) > 0);
    }

    @Test
    void boundIsSentAsGiven() {
        cluster.put("k", "v");
        client.singleUse(TimestampBound.maxStaleness(Duration.ofSeconds(10))).get("k");
        client.singleUse(TimestampBound.readTimestamp(Timestamp.ofMicros(5))).get("k");

        assertEquals(10_000_000, node.reads.get(0).getTransaction().getSingleUse().getMaxStalenessMicros());
        assertEquals(5, node.reads.get(1).getTransaction().getSingleUse().getReadTimestamp().getMicros());
    }

    @Test
    void longKeyListIsReadInBatchesAtOneSnapshot() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2_100; i++) {
            keys.add("k" + i);
            cluster.put("k" + i, "v");
        }

        ReadResult result = client.singleUse().read(keys.toArray(String[]::new));

        assertEquals(2_100, result.rows().size());
        assertEquals(3, node.reads.size());
        for (ReadRequest later : node.reads.subList(1, 3)) {
            assertEquals(result.readTimestamp().micros(),
                    later.getTransaction().getSingleUse().getReadTimestamp().getMicros());
        }
    }

    @Test
    void abortedBlindWriteIsRetried() {
        node.failCommit(Statuses.aborted("WOUNDED", Duration.ofMillis(5)));

        client.write(Mutation.put("k", "v"));

        assertEquals(2, node.commits.size());
        assertEquals(List.of(Duration.ofMillis(15)), clock.waits());
        assertEquals("v", cluster.value("k"));
    }

    @Test
    void ambiguousBlindWriteIsNotRetried() {
        node.failCommit(Statuses.commitAmbiguous());

        AmbiguousCommitException e = assertThrows(AmbiguousCommitException.class,
                () -> client.write(Mutation.put("k", "v")));

        assertTrue(e.transactionId().isEmpty());
        assertEquals(1, node.commits.size());
    }

    @Test
    void unavailableReadIsRetriedButInvalidIsNot() {
        cluster.put("k", "v");
        node.failRead(Statuses.fromNode(Status.Code.UNAVAILABLE, "FENCED"));
        assertEquals("v", client.singleUse().get("k").orElseThrow().valueUtf8());
        assertEquals(2, node.reads.size());

        node.failRead(Statuses.fromNode(Status.Code.FAILED_PRECONDITION, "READ_BELOW_HORIZON"));
        FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
                () -> client.singleUse().get("k"));
        assertEquals("READ_BELOW_HORIZON", e.reason());
        assertEquals(3, node.reads.size());
    }

    @Test
    void emptyRequestsAreRefusedLocally() {
        assertThrows(IllegalArgumentException.class, () -> client.write(List.of()));
        assertThrows(IllegalArgumentException.class, () -> client.singleUse().read(List.of()));
        assertTrue(node.commits.isEmpty() && node.reads.isEmpty());
    }

    @Test
    void closedClientRefusesCalls() {
        client.close();

        assertThrows(IllegalStateException.class, () -> client.singleUse().get("k"));
        assertThrows(IllegalStateException.class, () -> client.readWriteTransaction(txn -> null));
    }
}
