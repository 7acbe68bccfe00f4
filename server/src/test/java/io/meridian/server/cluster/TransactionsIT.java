package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.bytes;
import static io.meridian.server.cluster.TestClient.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionOptions;
import io.meridian.api.v1.TransactionSelector;
import io.meridian.server.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-write transactions across groups on a real 3-node cluster: 8 accounts in 8 ranges spread
 * over 4 data groups. Concurrent transfers conserve the total, as every strong read-only
 * transaction and every stale snapshot sees it; two transactions locking the same keys in
 * opposite orders both finish; and killing the leader of the groups in the middle of two-phase
 * commits leaves every transaction committed everywhere or nowhere, exactly as its client was
 * told (each transfer also writes a receipt key in another group: an aborted transfer must have
 * no receipt, a committed one must).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 8;
    private static final long INITIAL = 100;
    private static final int RETRIES_MAX = 40;

    @TempDir
    static Path dir;
    private LocalCluster cluster;

    @BeforeAll
    void startClusterWithFourGroups() throws Exception {
        cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build();
        cluster.start();
        try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
            List<Long> groups = new ArrayList<>(List.of(1L));
            for (int g = 0; g < 3; g++) {
                groups.add(n1.admin().createGroup(CreateGroupRequest.newBuilder()
                        .addReplicaNodeIds("n1").addReplicaNodeIds("n2").addReplicaNodeIds("n3").build())
                        .getGroup().getGroupId());
            }
            // acct/0 .. acct/7, one range each, then receipts in r/ and the rest.
            for (int a = 1; a < ACCOUNTS; a++) {
                n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes(account(a))).build());
            }
            n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes("b")).build());
            n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes("r/")).build());
            for (int a = 0; a < ACCOUNTS; a++) {
                long target = groups.get(a % groups.size());
                if (target != 1) {
                    long rangeId = n1.rangeHolding(account(a));
                    n1.admin().moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeId).setTargetGroupId(target)
                            .build());
                }
            }
            long receipts = n1.rangeHolding("r/x");
            n1.admin().moveRange(MoveRangeRequest.newBuilder().setRangeId(receipts).setTargetGroupId(groups.get(3))
                    .build());
            List<Mutation> initial = new ArrayList<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                initial.add(put(account(a), Long.toString(INITIAL)));
            }
            // One multi-group commit creates every account.
            assertTrue(n1.commit(initial, PATIENCE) instanceof TestClient.Outcome.Committed, "accounts created");
            Set<Long> used = new HashSet<>();
            for (RangeInfo range : n1.admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList()) {
                used.add(range.getRange().getGroupId());
            }
            assertTrue(used.size() >= 4, "ranges in 4+ groups: " + used);
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentTransfersAcrossGroupsConserveTheTotalInEverySnapshot() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Long> strongTotals = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (TestClient client = new TestClient(cluster.clientAddress("n2"))) {
                while (!stop.get()) {
                    ReadResponse strong = client.readRetrying(readAll(TimestampBound.newBuilder().setStrong(true)),
                            PATIENCE);
                    long total = total(strong.getRowsList());
                    synchronized (strongTotals) {
                        strongTotals.add(total);
                    }
                    if (total != INITIAL * ACCOUNTS) {
                        problems.add("strong read at " + strong.getReadTimestamp().getMicros() + " saw total " + total);
                    }
                    long staleTs = strong.getReadTimestamp().getMicros() - 200_000;
                    ReadResponse stale = client.readRetrying(readAll(TimestampBound.newBuilder()
                            .setReadTimestamp(Timestamp.newBuilder().setMicros(staleTs))), PATIENCE);
                    if (stale.getRowsCount() == ACCOUNTS && total(stale.getRowsList()) != INITIAL * ACCOUNTS) {
                        problems.add("snapshot at " + staleTs + " saw total " + total(stale.getRowsList()));
                    }
                }
            }
        });
        Map<String, Boolean> outcomes = runTransfers("concurrent", 4, 25, stop, problems, () -> { }, Set.of());
        stop.set(true);
        reader.join(PATIENCE.toMillis());
        assertFalse(reader.isAlive(), "the reader stops");
        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(outcomes.values().stream().filter(committed -> committed).count() >= 50,
                "most transfers commit: " + outcomes.size());
        synchronized (strongTotals) {
            assertTrue(strongTotals.size() >= 3, "the reader read while transfers ran: " + strongTotals.size());
        }
        assertReceiptsMatch(outcomes);
    }

    @Test
    void twoTransactionsLockingInOppositeOrdersBothFinish() throws Exception {
        CountDownLatch bothReadFirst = new CountDownLatch(2);
        ConcurrentLinkedQueue<String> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String first = account(t == 0 ? 1 : 2);
            String second = account(t == 0 ? 2 : 1);
            String node = "n" + (t + 1);
            threads.add(Thread.ofPlatform().start(() -> {
                try (TestClient client = new TestClient(cluster.clientAddress(node))) {
                    Timestamp priority = null;
                    for (int attempt = 0; attempt < RETRIES_MAX; attempt++) {
                        var begin = client.database().beginTransaction(BeginTransactionRequest.newBuilder()
                                .setOptions(readWrite(priority)).build());
                        priority = begin.getPriority();
                        ByteString id = begin.getTransactionId();
                        try {
                            long a = value(client, id, first);
                            if (attempt == 0) {
                                bothReadFirst.countDown();
                                bothReadFirst.await(10, TimeUnit.SECONDS);
                            }
                            long b = value(client, id, second);
                            client.database().commit(CommitRequest.newBuilder().setTransactionId(id)
                                    .addMutations(put(first, Long.toString(a - 1)))
                                    .addMutations(put(second, Long.toString(b + 1))).build());
                            done.add(node + " after " + attempt + " retries");
                            return;
                        } catch (StatusRuntimeException e) {
                            if (e.getStatus().getCode() != Status.Code.ABORTED) {
                                throw e;
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(PATIENCE.toMillis());
        }
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(2, done.size(), "both finished: " + done);
        try (TestClient client = new TestClient(cluster.clientAddress("n3"))) {
            assertEquals(INITIAL * ACCOUNTS, total(client.readRetrying(readAll(TimestampBound.newBuilder()
                    .setStrong(true)), PATIENCE).getRowsList()));
        }
    }

    @Test
    void killingALeaderDuringTwoPhaseCommitsLeavesEveryTransactionAllOrNothing() throws Exception {
        String victim;
        try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
            victim = n1.leaderOf(1).orElse("n2");
        }
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        String killedNode = victim;
        Map<String, Boolean> outcomes = runTransfers("kill", 3, 30, stop, problems, () -> {
            if (killed.compareAndSet(false, true)) {
                try {
                    cluster.kill(killedNode);
                } catch (Exception e) {
                    problems.add("kill failed: " + e);
                }
            }
        }, Set.of(killedNode));
        cluster.restart(victim);
        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(killed.get(), "the leader was killed during the transfers");
        // Locks are released and in-doubt transactions resolved: a transaction over every
        // account commits, and the total is conserved.
        try (TestClient client = new TestClient(cluster.clientAddress(otherThan(victim)))) {
            List<Mutation> touchAll = new ArrayList<>();
            List<Row> rows = client.readRetrying(readAll(TimestampBound.newBuilder().setStrong(true)), PATIENCE)
                    .getRowsList();
            assertEquals(INITIAL * ACCOUNTS, total(rows));
            for (Row row : rows) {
                touchAll.add(Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(row.getKey())
                        .setValue(row.getValue())).build());
            }
            assertTrue(client.commit(touchAll, PATIENCE) instanceof TestClient.Outcome.Committed,
                    "no lock is left behind");
        }
        assertReceiptsMatch(outcomes);
    }

    // ---- workload

    /**
     * Runs transfers between random accounts, each with a receipt key, and returns every
     * transfer's outcome by receipt: true = committed, false = aborted (ambiguous ones are left
     * out). {@code midway} runs once half the transfers are done. Receipts are named after
     * {@code run}, so runs sharing the cluster do not mix.
     */
    private Map<String, Boolean> runTransfers(String run, int clients, int perClient, AtomicBoolean stop,
            ConcurrentLinkedQueue<String> problems, Runnable midway, Set<String> avoid) throws Exception {
        Map<String, Boolean> outcomes = new ConcurrentHashMap<>();
        CountDownLatch half = new CountDownLatch(clients * perClient / 2);
        Thread trigger = Thread.ofPlatform().start(() -> {
            try {
                if (half.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    midway.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String node = gatewayFor(c, avoid);
            int clientNo = c;
            threads.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(clientNo);
                try (TestClient client = new TestClient(cluster.clientAddress(node))) {
                    for (int i = 0; i < perClient && !stop.get(); i++) {
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        transfer(client, from, to, 1 + random.nextInt(5), run + "-c" + clientNo + "-" + i, outcomes,
                                problems);
                        half.countDown();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(PATIENCE.toMillis() * 3);
            if (thread.isAlive()) {
                problems.add("a client did not finish");
            }
        }
        trigger.interrupt();
        trigger.join();
        return outcomes;
    }

    private void transfer(TestClient client, int from, int to, long amount, String receipt,
            Map<String, Boolean> outcomes, ConcurrentLinkedQueue<String> problems) {
        Timestamp priority = null;
        for (int attempt = 0; attempt < RETRIES_MAX; attempt++) {
            // Each attempt writes its own receipt: an aborted attempt's must never appear.
            String attemptReceipt = "r/" + receipt + "-" + attempt;
            ByteString id;
            try {
                var begin = client.database().beginTransaction(BeginTransactionRequest.newBuilder()
                        .setOptions(readWrite(priority)).build());
                priority = begin.getPriority();
                id = begin.getTransactionId();
            } catch (StatusRuntimeException e) {
                pause();
                continue;
            }
            try {
                long a = value(client, id, account(from));
                long b = value(client, id, account(to));
                if (a < amount) {
                    client.database().rollback(io.meridian.api.v1.RollbackRequest.newBuilder().setTransactionId(id)
                            .build());
                    return;
                }
                client.database().commit(CommitRequest.newBuilder().setTransactionId(id)
                        .addMutations(put(account(from), Long.toString(a - amount)))
                        .addMutations(put(account(to), Long.toString(b + amount)))
                        .addMutations(put(attemptReceipt, Long.toString(amount))).build());
                outcomes.put(attemptReceipt, true);
                return;
            } catch (StatusRuntimeException e) {
                switch (e.getStatus().getCode()) {
                    case ABORTED -> outcomes.put(attemptReceipt, false);
                    case UNKNOWN, DEADLINE_EXCEEDED -> {
                        return; // ambiguous: never retried
                    }
                    case UNAVAILABLE, NOT_FOUND -> { }
                    default -> {
                        problems.add("transfer " + receipt + ": " + e.getStatus());
                        return;
                    }
                }
                pause();
            }
        }
    }

    private void assertReceiptsMatch(Map<String, Boolean> outcomes) {
        try (TestClient client = new TestClient(cluster.clientAddress("n1"))) {
            List<Row> receipts = new ArrayList<>();
            ByteString resume = ByteString.EMPTY;
            do {
                ReadRequest.Builder request = ReadRequest.newBuilder()
                        .setTransaction(TransactionSelector.newBuilder()
                                .setSingleUse(TimestampBound.newBuilder().setStrong(true)))
                        .setRange(io.meridian.api.v1.KeyRange.newBuilder().setStart(bytes("r/")).setEnd(bytes("r0")))
                        .setLimit(1000);
                if (!resume.isEmpty()) {
                    request.setResumeKey(resume);
                }
                ReadResponse response = client.readRetrying(request.build(), PATIENCE);
                receipts.addAll(response.getRowsList());
                resume = response.getResumeKey();
            } while (!resume.isEmpty());
            Set<String> present = new HashSet<>();
            receipts.forEach(row -> present.add(row.getKey().toString(StandardCharsets.UTF_8)));
            for (Map.Entry<String, Boolean> outcome : outcomes.entrySet()) {
                assertEquals(outcome.getValue(), present.contains(outcome.getKey()),
                        outcome.getKey() + " was reported " + (outcome.getValue() ? "committed" : "aborted"));
            }
        }
    }

    // ---- helpers

    private static long value(TestClient client, ByteString txn, String key) {
        ReadResponse response = client.database().read(ReadRequest.newBuilder()
                .setTransaction(TransactionSelector.newBuilder().setTransactionId(txn)).addKeys(bytes(key)).build());
        return Long.parseLong(response.getRows(0).getValue().toString(StandardCharsets.UTF_8));
    }

    private static TransactionOptions readWrite(Timestamp priority) {
        TransactionOptions.ReadWrite.Builder readWrite = TransactionOptions.ReadWrite.newBuilder();
        if (priority != null) {
            readWrite.setPriority(priority);
        }
        return TransactionOptions.newBuilder().setReadWrite(readWrite).build();
    }

    private static ReadRequest readAll(TimestampBound.Builder bound) {
        ReadRequest.Builder request = ReadRequest.newBuilder()
                .setTransaction(TransactionSelector.newBuilder().setSingleUse(bound));
        for (int a = 0; a < ACCOUNTS; a++) {
            request.addKeys(bytes(account(a)));
        }
        return request.build();
    }

    private static long total(List<Row> rows) {
        return rows.stream().mapToLong(row -> Long.parseLong(row.getValue().toString(StandardCharsets.UTF_8))).sum();
    }

    private static String account(int a) {
        return "acct/" + a;
    }


    private static String gatewayFor(int client, Set<String> avoid) {
        List<String> nodes = new ArrayList<>(List.of("n1", "n2", "n3"));
        nodes.removeAll(avoid);
        return nodes.get(client % nodes.size());
    }

    private static String otherThan(String node) {
        return node.equals("n1") ? "n2" : "n1";
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
