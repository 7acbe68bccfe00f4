package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows leader-aware routing: with the routing table loaded from the Admin service, single-use
 * requests and a transaction's begin go to the node leading the first key touched, even when
 * the client was configured with another node only; a NOT_LEADER answer with a leader hint
 * redirects the retry and later requests at once; a wrong-range answer reloads the table.
 */
class RoutingTest {

    private FakeCluster cluster;
    private FakeNode n1;
    private FakeNode n2;
    private ManualClock clock;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("routing", 2);
        n1 = cluster.node(1);
        n2 = cluster.node(2);
        cluster.addRange(1, 10, "", "m", n1);
        cluster.addRange(2, 20, "m", "", n2);
        cluster.put("apple", "1");
        cluster.put("zebra", "2");
        clock = new ManualClock();
        client = cluster.clientBuilder(clock, n1).build();
        client.refreshRouting().join();
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    @Test
    void singleUseRequestsGoToTheLeaderOfTheirFirstKey() {
        assertEquals("2", client.singleUse().get("zebra").orElseThrow().valueUtf8());
        assertEquals("1", client.singleUse().get("apple").orElseThrow().valueUtf8());
        client.write(Mutation.put("zz", "3"));

        assertEquals(1, n2.reads.size());
        assertEquals(1, n1.reads.size());
        assertEquals(1, n2.commits.size());
        assertTrue(n1.commits.isEmpty());
    }

    @Test
    void transactionBeginsAtTheLeaderOfItsFirstReadAndStaysThere() {
        client.readWriteTransaction(txn -> {
            txn.get("zebra");
            txn.get("apple");
            txn.put("apple", "9");
            return null;
        });

        assertEquals(1, n2.begins.size());
        assertEquals(2, n2.reads.size(), "every call of the transaction goes to the node holding it");
        assertEquals(1, n2.commits.size());
        assertTrue(n1.begins.isEmpty() && n1.reads.isEmpty() && n1.commits.isEmpty());
        assertEquals("9", cluster.value("apple"));
    }

    @Test
    void notLeaderHintRedirectsTheRetryAndLaterRequests() {
        // The table says n1 leads everything; n1 answers NOT_LEADER naming n2 for keys from "m".
        resetRanges(n1);
        client.refreshRouting().join();
        n1.failRead(Statuses.notLeader(20, n2.nodeId(), n2.address()));

        assertEquals("2", client.singleUse().get("zebra").orElseThrow().valueUtf8());
        assertEquals(1, n1.reads.size());
        assertEquals(1, n2.reads.size());

        client.singleUse().get("zulu");
        assertEquals(1, n1.reads.size(), "the hint updated the cache: no second trip to n1");
        assertEquals(2, n2.reads.size());
        assertEquals(1, clock.waits().size());
    }

    @Test
    void wrongRangeAnswerReloadsTheRoutingTable() {
        long before = cluster.listRangesCalls();
        n2.failRead(Statuses.fromNode(Status.Code.FAILED_PRECONDITION, "WRONG_RANGE"));

        assertEquals("2", client.singleUse().get("zebra").orElseThrow().valueUtf8());

        assertEquals(before + 1, cluster.listRangesCalls());
        assertEquals(2, n2.reads.size());
    }

    @Test
    void notLeaderOnBeginIsRetriedAtTheHintedLeader() {
        resetRanges(n1);
        client.refreshRouting().join();
        n1.failBegin(Statuses.notLeader(20, n2.nodeId(), n2.address()));

        TransactionResult<Void> result = client.readWriteTransaction(txn -> {
            txn.get("zebra");
            txn.put("zebra", "3");
            return null;
        });

        assertEquals(1, result.attempts(), "a refused begin is retried inside the attempt");
        assertEquals(1, n1.begins.size());
        assertEquals(1, n2.begins.size());
        assertEquals(1, n2.commits.size());
    }

    /** Replaces the ranges with the same spans, both led by {@code leader}. */
    private void resetRanges(FakeNode leader) {
        cluster.clearRanges();
        cluster.addRange(1, 10, "", "m", leader);
        cluster.addRange(2, 20, "m", "", leader);
    }
}
