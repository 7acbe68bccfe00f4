package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.bytes;
import static io.meridian.server.cluster.TestClient.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import io.meridian.api.v1.TransferLeadershipRequest;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-node cluster (separate JVMs on loopback, real Ratis and LMDB) used the way a user
 * would through the public gRPC API: bad input is refused and changes nothing; a read at a
 * timestamp at a follower returns exactly the snapshot at that timestamp; a split under
 * concurrent writes loses and duplicates nothing; commit timestamps keep rising across
 * leadership transfers; and, last, the leader's process is killed: writes resume, no
 * acknowledged write is lost, and the restarted node catches up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long DATA_GROUP = 1;

    @TempDir
    static Path dir;

    private LocalCluster cluster;
    private final Map<String, TestClient> clients = new TreeMap<>();
    /** Every acknowledged write: key → value. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build();
        cluster.start();
        for (NodeSpec node : cluster.nodes()) {
            clients.put(node.id(), new TestClient(node.clientAddress()));
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        clients.values().forEach(TestClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestClient client(int i) {
        List<TestClient> all = new ArrayList<>(clients.values());
        return all.get(Math.floorMod(i, all.size()));
    }

    private long commit(TestClient client, String key, String value) {
        TestClient.Outcome outcome = client.commit(List.of(put(key, value)), PATIENCE);
        TestClient.Outcome.Committed committed = assertInstanceOf(TestClient.Outcome.Committed.class, outcome,
                "commit of " + key);
        acknowledged.put(key, value);
        return committed.commitTsMicros();
    }

    @Test
    @Order(1)
    void badInputIsRefusedWithItsStatusAndChangesNothing() {
        TestClient client = client(0);
        commit(client, "bad/existing", "before");
        List<Row> before = client.scanAllAt(latestTs(client), PATIENCE);

        assertStatus(Status.Code.INVALID_ARGUMENT, "480", () -> client.commitOnce(List.of(
                put("bad/ok", "x"), put("k".repeat(481), "v"))));
        assertStatus(Status.Code.INVALID_ARGUMENT, "value", () -> client.commitOnce(List.of(
                put("bad/ok", "x"), Mutation.newBuilder().setPut(Mutation.Put.newBuilder()
                        .setKey(bytes("bad/big")).setValue(ByteString.copyFrom(new byte[1024 * 1024 + 1]))).build())));
        assertStatus(Status.Code.INVALID_ARGUMENT, "range", () -> client.commitOnce(List.of(
                put("bad/ok", "x"), Mutation.newBuilder().setDeleteRange(Mutation.DeleteRange.newBuilder()
                        .setRange(KeyRange.newBuilder().setStart(bytes("z")).setEnd(bytes("a")))).build())));
        assertStatus(Status.Code.INVALID_ARGUMENT, "range", () -> client.database().read(ReadRequest.newBuilder()
                .setRange(KeyRange.newBuilder().setStart(bytes("b")).setEnd(bytes("b"))).build()));
        assertStatus(Status.Code.NOT_FOUND, "transaction", () -> client.database().commit(CommitRequest.newBuilder()
                .setTransactionId(bytes("no-such-transaction")).addMutations(put("bad/ok", "x")).build()));

        // Read at a timestamp after every refusal: nothing of the refused commits is there.
        List<Row> after = client.scanAllAt(latestTs(client), PATIENCE);
        assertEquals(keysAndValues(before), keysAndValues(after));
        assertTrue(client.strongGet("bad/ok", PATIENCE).isEmpty());
    }

    @Test
    @Order(2)
    void aReadAtATimestampAtEveryReplicaReturnsExactlyThatSnapshot() {
        TestClient writer = client(0);
        long t1 = commit(writer, "snap/a", "1");
        commit(writer, "snap/b", "1");
        long t2 = commit(writer, "snap/a", "2");
        Map<String, String> atT1 = Map.of("snap/a", "1");
        Map<String, String> atT2 = Map.of("snap/a", "2", "snap/b", "1");
        for (TestClient reader : clients.values()) {
            assertEquals(atT1, prefix(reader.scanAllAt(t1, PATIENCE), "snap/"));
            assertEquals(atT2, prefix(reader.scanAllAt(t2, PATIENCE), "snap/"));
            // Repeating the read gives the same answer (DESIGN.md invariant 4).
            assertEquals(atT1, prefix(reader.scanAllAt(t1, PATIENCE), "snap/"));
            assertEquals(Map.of(), prefix(reader.scanAllAt(t1 - 1, PATIENCE), "snap/"));
        }
    }

    @Test
    @Order(3)
    void aSplitUnderConcurrentWritesLosesAndDuplicatesNothing() throws Exception {
        int writers = 4;
        int perWriter = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        commit(client(writer + i), String.format("split/%03d/%d", i, writer), "v" + i);
                    }
                }));
            }
            TestClient admin = client(1);
            for (String splitKey : List.of("split/050", "split/100", "split/025")) {
                admin.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes(splitKey)).build());
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(client(0).admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesCount() >= 4,
                "three splits make at least four ranges");

        Map<String, String> expected = new TreeMap<>();
        acknowledged.forEach((k, v) -> {
            if (k.startsWith("split/")) {
                expected.put(k, v);
            }
        });
        assertEquals(writers * perWriter, expected.size());
        for (TestClient reader : clients.values()) {
            List<Row> rows = reader.scanAllAt(latestTs(reader), PATIENCE);
            List<String> keys = rows.stream().map(r -> r.getKey().toStringUtf8()).filter(k -> k.startsWith("split/")).toList();
            assertEquals(List.copyOf(expected.keySet()), keys, "every key once, in order, across the split points");
            assertEquals(expected, prefix(rows, "split/"));
        }
        // A reverse range read that crosses the split points, with a limit.
        List<Row> reverse = client(2).database().read(ReadRequest.newBuilder()
                .setTransaction(strong())
                .setRange(KeyRange.newBuilder().setStart(bytes("split/020")).setEnd(bytes("split/110")))
                .setReverse(true).setLimit(1000).build()).getRowsList();
        List<String> expectedReverse = new ArrayList<>(expected.keySet().stream()
                .filter(k -> k.compareTo("split/020") >= 0 && k.compareTo("split/110") < 0).toList());
        java.util.Collections.reverse(expectedReverse);
        assertEquals(expectedReverse, reverse.stream().map(r -> r.getKey().toStringUtf8()).toList());
    }

    @Test
    @Order(4)
    void commitTimestampsKeepRisingAcrossLeadershipTransfers() {
        TestClient client = client(0);
        long previous = 0;
        List<String> nodes = new ArrayList<>(clients.keySet());
        for (int round = 0; round < 6; round++) {
            String target = nodes.get(round % nodes.size());
            try {
                client.admin().transferLeadership(TransferLeadershipRequest.newBuilder()
                        .setGroupId(DATA_GROUP).setNodeId(target).build());
            } catch (StatusRuntimeException e) {
                // A transfer may be refused while an election is on; the writes below still must rise.
                assertTrue(e.getStatus().getCode() == Status.Code.UNAVAILABLE
                        || e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION, e.toString());
            }
            for (int i = 0; i < 10; i++) {
                long ts = commit(client, "mono/" + round + "/" + i, "x");
                assertTrue(ts > previous, "commit timestamp " + ts + " after " + previous);
                previous = ts;
            }
        }
    }

    @Test
    @Order(5)
    void killingTheLeaderLosesNoAcknowledgedWriteAndTheNodeCatchesUp() throws Exception {
        // 1,000 commits from 4 clients through every node.
        runWriters("load/", 4, 250);
        String leader = awaitLeader();
        cluster.kill(leader);

        // Writes resume through the others (each commit retries definite failures only).
        List<TestClient> survivors = new ArrayList<>();
        clients.forEach((id, c) -> {
            if (!id.equals(leader)) {
                survivors.add(c);
            }
        });
        long lastTs = 0;
        for (int i = 0; i < 100; i++) {
            lastTs = Math.max(lastTs, commit(survivors.get(i % survivors.size()), "after/" + i, "v" + i));
        }
        assertAllAcknowledgedVisible(survivors.get(0), latestTs(survivors.get(0)));

        cluster.restart(leader);
        // The restarted node serves a read at the last commit timestamp from its own replica once
        // it has caught up; the read waits for that, and must then see every acknowledged write.
        assertAllAcknowledgedVisible(clients.get(leader), lastTs);
    }

    private void runWriters(String prefix, int writers, int perWriter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        commit(client(writer + i), prefix + writer + "/" + i, "v" + i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String awaitLeader() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var leader = client(0).leaderOf(DATA_GROUP);
            if (leader.isPresent()) {
                return leader.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("group " + DATA_GROUP + " has no leader after " + PATIENCE);
    }

    private void assertAllAcknowledgedVisible(TestClient reader, long readTs) {
        Map<String, String> seen = prefix(reader.scanAllAt(readTs, PATIENCE), "");
        Map<String, String> missing = new TreeMap<>();
        acknowledged.forEach((k, v) -> {
            if (!v.equals(seen.get(k))) {
                missing.put(k, v);
            }
        });
        assertEquals(Map.of(), missing, "acknowledged writes missing or wrong at " + readTs);
    }

    /** A timestamp every acknowledged commit is below: a strong read's timestamp. */
    private static long latestTs(TestClient client) {
        return client.readRetrying(ReadRequest.newBuilder().setTransaction(strong())
                .addKeys(bytes("any")).build(), PATIENCE).getReadTimestamp().getMicros();
    }

    private static TransactionSelector strong() {
        return TransactionSelector.newBuilder().setSingleUse(TimestampBound.newBuilder().setStrong(true)).build();
    }

    private static Map<String, String> prefix(List<Row> rows, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (Row row : rows) {
            String key = row.getKey().toStringUtf8();
            if (key.startsWith(prefix)) {
                out.put(key, row.getValue().toStringUtf8());
            }
        }
        return out;
    }

    private static Map<String, String> keysAndValues(List<Row> rows) {
        return prefix(rows, "");
    }

    private static void assertStatus(Status.Code code, String mentions, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        String description = String.valueOf(e.getStatus().getDescription()).toLowerCase(java.util.Locale.ROOT);
        assertTrue(description.contains(mentions), "'" + description + "' should mention " + mentions);
    }
}
