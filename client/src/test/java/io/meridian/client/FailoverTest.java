package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows failover between endpoints: the first configured endpoint is a real TCP port nobody
 * listens on (a refused connection, through the real Netty transport), the second an
 * in-process fake node. Reads, blind writes and transactions move on to the live endpoint,
 * because a refused connection proves nothing was sent; a commit whose connection was lost
 * after sending is reported as ambiguous and never sent elsewhere.
 */
class FailoverTest {

    private FakeCluster cluster;
    private FakeNode live;
    private FakeNode other;
    private ManualClock clock;
    private String deadEndpoint;

    @BeforeEach
    void setUp() throws IOException {
        cluster = FakeCluster.start("failover", 2);
        live = cluster.node(1);
        other = cluster.node(2);
        cluster.put("k", "v");
        clock = new ManualClock();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadEndpoint = "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private MeridianClient client(String... endpoints) {
        return MeridianClient.builder().endpoints(endpoints)
                .channelFactory(address -> address.equals(deadEndpoint)
                        ? Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build()
                        : InProcessChannelBuilder.forName(address).directExecutor().build())
                .retrySettings(new RetrySettings(Duration.ofMillis(10), Duration.ofSeconds(1), 2.0, 0.0))
                .transactionTimeout(Duration.ofSeconds(2))
                .retryClock(clock)
                .build();
    }

    @Test
    void readFailsOverToTheNextEndpointAndRemembersTheDeadOne() {
        try (MeridianClient client = client(deadEndpoint, live.address())) {
            // Load the routing table first (it fails over too, marking the dead endpoint), then let
            // the dead mark expire, so that the read itself meets the refused connection.
            client.refreshRouting().join();
            clock.advance(Duration.ofNanos(Endpoints.DOWN_NANOS + 1));

            assertEquals("v", client.singleUse().get("k").orElseThrow().valueUtf8());
            assertEquals(1, clock.waits().size(), "one refused attempt, then the live endpoint");

            assertEquals("v", client.singleUse().get("k").orElseThrow().valueUtf8());
            assertEquals(1, clock.waits().size(), "the dead endpoint is tried last now");
            assertEquals(2, live.reads.size());
        }
    }

    @Test
    void blindWriteFailsOverWhenTheConnectionIsRefused() {
        try (MeridianClient client = client(deadEndpoint, live.address())) {
            client.refreshRouting().join();
            clock.advance(Duration.ofNanos(Endpoints.DOWN_NANOS + 1));

            client.write(Mutation.put("k", "w"));

            assertEquals(1, clock.waits().size(), "the refused commit was retried once, at the live endpoint");
            assertEquals(1, live.commits.size());
            assertEquals("w", cluster.value("k"));
        }
    }

    @Test
    void transactionBeginsAtALiveEndpoint() {
        try (MeridianClient client = client(deadEndpoint, live.address())) {
            TransactionResult<String> result = client.readWriteTransaction(txn -> {
                String value = txn.get("k").orElseThrow().valueUtf8();
                txn.put("k", value + "!");
                return value;
            });

            assertEquals(1, result.attempts());
            assertEquals("v!", cluster.value("k"));
        }
    }

    @Test
    void commitWithALostConnectionIsAmbiguousAndNotSentElsewhere() {
        try (MeridianClient client = client(live.address(), other.address())) {
            live.failCommit(Statuses.bare(Status.Code.UNAVAILABLE));

            AmbiguousCommitException e = assertThrows(AmbiguousCommitException.class,
                    () -> client.write(Mutation.put("k", "lost")));

            assertEquals(live.address(), e.endpoint());
            assertTrue(e.transactionId().isEmpty());
            assertEquals(1, live.commits.size());
            assertTrue(other.commits.isEmpty());
            assertTrue(clock.waits().isEmpty());
        }
    }

    @Test
    void noReachableEndpointEndsWithUnavailableWithinTheTimeout() {
        try (MeridianClient client = client(deadEndpoint)) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> client.singleUse().get("k"));

            assertEquals("", e.reason(), "the transport, not a node, refused");
            long waitedMillis = clock.waits().stream().mapToLong(Duration::toMillis).sum();
            assertTrue(waitedMillis <= 2_000, "waits stay within the 2 s budget: " + clock.waits());
            // Doubling from 10 ms: 10 + 20 + … + 640 = 1270 ms; the next (1 s cap) would pass 2 s.
            assertEquals(7, clock.waits().size(), clock.waits().toString());
            assertInstanceOf(io.grpc.StatusRuntimeException.class, e.getCause());
        }
    }
}
