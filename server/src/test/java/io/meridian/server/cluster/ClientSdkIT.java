package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.client.AmbiguousCommitException;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.MeridianException;
import io.meridian.client.ReadOnlyTransaction;
import io.meridian.client.Timestamp;
import io.meridian.client.TransactionResult;
import io.meridian.client.UnavailableException;
import io.meridian.server.local.LocalCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK against a real 3-node cluster whose keys {@code ctr/a} and {@code ctr/b} live in
 * different groups: concurrent read-write transactions on the same counters lose no update and
 * run the user's function again only after a definite abort; killing the node that leads the
 * written ranges in the middle of commits leaves every transaction exactly as its client was
 * told (committed with its timestamp, definitely failed, or ambiguous and then decided by a
 * read) while the client fails over to the surviving nodes; and a dead endpoint in the list
 * costs nothing but the time to notice it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSdkIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private LocalCluster cluster;

    @BeforeAll
    void startClusterWithTwoGroups() throws Exception {
        cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build();
        cluster.start();
        try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
            long second = n1.admin().createGroup(CreateGroupRequest.newBuilder()
                    .addReplicaNodeIds("n1").addReplicaNodeIds("n2").addReplicaNodeIds("n3").build())
                    .getGroup().getGroupId();
            n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes("ctr/b")).build());
            n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes("ctr/c")).build());
            n1.admin().moveRange(MoveRangeRequest.newBuilder().setRangeId(n1.rangeHolding("ctr/b"))
                    .setTargetGroupId(second).build());
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MeridianClient client(String... nodeIds) {
        List<String> endpoints = new ArrayList<>();
        for (String id : nodeIds) {
            endpoints.add(cluster.clientAddress(id));
        }
        return MeridianClient.builder().endpoints(endpoints).transactionTimeout(PATIENCE).build();
    }

    @Test
    void concurrentIncrementsAcrossTwoGroupsLoseNothingAndRerunOnlyAfterAborts() throws Exception {
        int threads = 4;
        int incrementsPerThread = 15;
        AtomicInteger functionRuns = new AtomicInteger();
        ConcurrentLinkedQueue<TransactionResult<Long>> results = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (MeridianClient client = client("n1", "n2", "n3")) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < incrementsPerThread; i++) {
                        try {
                            results.add(client.readWriteTransaction(txn -> {
                                functionRuns.incrementAndGet();
                                long a = txn.get("ctr/a").map(row -> Long.parseLong(row.valueUtf8())).orElse(0L);
                                long b = txn.get("ctr/b").map(row -> Long.parseLong(row.valueUtf8())).orElse(0L);
                                if (a != b) {
                                    throw new IllegalStateException("the counters differ inside a transaction: " + a + " " + b);
                                }
                                txn.put("ctr/a", Long.toString(a + 1));
                                txn.put("ctr/b", Long.toString(b + 1));
                                return a + 1;
                            }));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join(PATIENCE.toMillis() * 2);
                assertFalse(worker.isAlive(), "a worker is stuck");
            }
            assertEquals(List.of(), List.copyOf(failures));
            System.out.println("ClientSdkIT: " + threads * incrementsPerThread + " contended increments took "
                    + functionRuns.get() + " attempts");

            int total = threads * incrementsPerThread;
            // In commit-timestamp order the increments read 0, 1, 2, ...: none was lost or doubled.
            List<TransactionResult<Long>> byTime = results.stream()
                    .sorted(Comparator.comparing(TransactionResult::commitTimestamp)).toList();
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, byTime.get(i).value(), "increment " + i + " in commit order");
            }
            // The function ran once per attempt: every re-run followed an abort the SDK retried.
            assertEquals(functionRuns.get(), results.stream().mapToInt(TransactionResult::attempts).sum());
            assertTrue(functionRuns.get() > total, "the contention produced aborts: " + functionRuns.get() + " runs");

            try (ReadOnlyTransaction snapshot = client.readOnlyTransaction()) {
                assertEquals(Optional.of(Long.toString(total)), snapshot.get("ctr/a").map(KeyValue::valueUtf8));
                assertEquals(Optional.of(Long.toString(total)), snapshot.get("ctr/b").map(KeyValue::valueUtf8));
                assertTrue(snapshot.readTimestamp().compareTo(byTime.getLast().commitTimestamp()) >= 0,
                        "a strong snapshot reads at or after the last commit");
            }
        }
    }

    /** What one writer was told about its transaction. */
    private sealed interface Told {
        record Committed(Timestamp at) implements Told {}

        record Ambiguous(AmbiguousCommitException e) implements Told {}

        record Failed(MeridianException e) implements Told {}
    }

    @Test
    void killingTheLeaderDuringCommitsLeavesEveryTransactionAsItsClientWasTold() throws Exception {
        String victim;
        try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
            victim = n1.leaderOf(1).orElse("n1");
        }
        Map<Integer, Told> told = new ConcurrentHashMap<>();
        AtomicInteger committed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        try (MeridianClient client = client("n1", "n2", "n3")) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 2_000 && !stop.get(); n++) {
                        int i = next.getAndIncrement();
                        try {
                            // A key in group 1 and its receipt in the other group: two-phase commit.
                            TransactionResult<Void> result = client.readWriteTransaction(txn -> {
                                txn.get(key(i));
                                txn.put(key(i), "v" + i);
                                txn.put(receipt(i), "r" + i);
                                return null;
                            });
                            told.put(i, new Told.Committed(result.commitTimestamp()));
                            committed.incrementAndGet();
                        } catch (AmbiguousCommitException e) {
                            told.put(i, new Told.Ambiguous(e));
                        } catch (MeridianException e) {
                            told.put(i, new Told.Failed(e));
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                }));
            }
            awaitCount(committed, 30, "commits before the kill");
            cluster.kill(victim);
            int atKill = committed.get();
            awaitCount(committed, atKill + 30, "commits after " + victim + " was killed");
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(PATIENCE.toMillis() * 2);
                assertFalse(writer.isAlive(), "a writer is stuck");
            }
            assertEquals(List.of(), List.copyOf(unexpected));

            try (ReadOnlyTransaction check = client.readOnlyTransaction()) {
                int ambiguous = 0;
                for (Map.Entry<Integer, Told> entry : told.entrySet()) {
                    int i = entry.getKey();
                    Optional<KeyValue> written = check.get(key(i));
                    Optional<KeyValue> receipt = check.get(receipt(i));
                    assertEquals(written.isPresent(), receipt.isPresent(), "transaction " + i + " is all or nothing");
                    switch (entry.getValue()) {
                        case Told.Committed c -> {
                            assertEquals("v" + i, written.map(KeyValue::valueUtf8).orElse("<absent>"), "committed " + i);
                            assertEquals(c.at(), written.get().versionTimestamp(), "the commit timestamp the client got");
                        }
                        case Told.Failed f -> assertTrue(written.isEmpty(),
                                "transaction " + i + " was reported failed (" + f.e() + ") but committed");
                        case Told.Ambiguous a -> ambiguous++;
                    }
                }
                System.out.println("ClientSdkIT: " + told.size() + " transactions, " + committed.get() + " committed, "
                        + ambiguous + " ambiguous, killed " + victim + " after " + atKill + " commits");
            }
        } finally {
            cluster.restart(victim);
        }
    }

    @Test
    void aDeadEndpointIsSkippedAndOnlyDeadEndpointsAreUnavailable() throws Exception {
        String dead = "127.0.0.1:" + closedPort();
        try (MeridianClient client = MeridianClient.builder().endpoints(dead, cluster.clientAddress("n2"))
                .callTimeout(Duration.ofSeconds(10)).transactionTimeout(PATIENCE).build()) {
            Timestamp written = client.write(io.meridian.client.Mutation.put("failover/k", "v"));
            KeyValue row = client.singleUse().get("failover/k").orElseThrow();
            assertEquals("v", row.valueUtf8());
            assertEquals(written, row.versionTimestamp());
        }
        try (MeridianClient client = MeridianClient.builder().endpoints(dead)
                .callTimeout(Duration.ofSeconds(2)).transactionTimeout(Duration.ofSeconds(4)).build()) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> client.singleUse().get("failover/k"));
            assertTrue(e.getMessage().contains(dead), e.getMessage());
        }
    }

    @Test
    void theExamplesOfTheClientGuideRunAsDocumented() throws Exception {
        try (MeridianClient client = ClientExamples.connect(List.of(cluster.clientAddress("n1"),
                cluster.clientAddress("n2")))) {
            assertTrue(ClientExamples.writeAndRead(client).startsWith("Ada written at "));
            client.write(io.meridian.client.Mutation.put("acct/alice", "100"));
            assertEquals(90, ClientExamples.transfer(client, "acct/alice", "acct/bob", 10));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ClientExamples.transfer(client, "acct/alice", "acct/bob", 1_000));
            assertEquals("insufficient funds in acct/alice: 90", refused.getMessage());
            assertEquals(Optional.of("10"), client.singleUse().get("acct/bob").map(KeyValue::valueUtf8));
            assertTrue(ClientExamples.writeOnceAndFindOut(client, "once/1", "x"));
            String snapshots = ClientExamples.snapshots(client);
            assertTrue(snapshots.startsWith("Ada and Grace at "), snapshots);
            assertEquals(List.of("user/1=Ada", "user/2=Grace"), ClientExamples.scanUsers(client));
            assertEquals("done", ClientExamples.asyncRead(client).get());
        }
    }

    private static String key(int i) {
        return "kill/" + i;
    }

    private static String receipt(int i) {
        return "ctr/b/receipt/" + i;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitCount(AtomicInteger count, int atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (count.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": only " + count.get() + " of " + atLeast);
            }
            Thread.sleep(20);
        }
    }
}
