package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.bytes;
import static io.meridian.server.cluster.TestClient.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.server.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A range R moves to a new group of a real 3-node cluster while four writers commit to keys
 * inside and outside R. Every acknowledged write is present exactly once with its value; reads
 * at timestamps taken before and after the move return exactly the writes at or below them, on
 * every node; the directory lists R in the new group; R keeps taking writes afterwards, served
 * by the new group; and the move's refusals (unknown range or group, target already serving,
 * missing ids) carry the documented codes.
 */
class RangeMoveIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long SOURCE_GROUP = 1;
    private static final int WRITERS = 4;

    @Test
    void aRangeMovesToANewGroupUnderConcurrentWrites(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build()) {
            cluster.start();
            try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
                n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes("n")).build());
                RangeDescriptor moving = n1.admin().splitRange(SplitRangeRequest.newBuilder()
                        .setSplitKey(bytes("m")).build()).getRight();
                assertEquals(bytes("m"), moving.getSpan().getStart());
                assertEquals(bytes("n"), moving.getSpan().getEnd());
                long target = n1.admin().createGroup(CreateGroupRequest.newBuilder()
                        .addReplicaNodeIds("n1").addReplicaNodeIds("n2").addReplicaNodeIds("n3").build())
                        .getGroup().getGroupId();

                // key → commit timestamp, for every acknowledged write (each key written once; two
                // groups may give two writes the same timestamp).
                Map<String, Long> writes = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String node = "n" + (1 + w % 3);
                    int writer = w;
                    writers.add(Thread.ofPlatform().start(() -> write(cluster.clientAddress(node), writer, stop,
                            writes, failures)));
                }
                awaitWrites(writes, 200);
                long beforeMove = lastTs(writes);

                RangeDescriptor moved = n1.admin().moveRange(MoveRangeRequest.newBuilder()
                        .setRangeId(moving.getRangeId()).setTargetGroupId(target).build()).getRange();
                assertEquals(target, moved.getGroupId());
                assertEquals(moving.getSpan(), moved.getSpan());
                assertEquals(moving.getGeneration() + 1, moved.getGeneration());

                awaitWrites(writes, writes.size() + 200);
                long afterMove = lastTs(writes);
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join(PATIENCE.toMillis());
                    assertFalse(writer.isAlive(), "writers stop");
                }
                assertEquals(List.of(), List.copyOf(failures), "every write committed");
                assertTrue(writes.keySet().stream().anyMatch(k -> k.startsWith("m/")), "writes inside R");
                long last = lastTs(writes);

                for (String node : List.of("n1", "n2", "n3")) {
                    try (TestClient reader = new TestClient(cluster.clientAddress(node))) {
                        assertSnapshot(reader, writes, beforeMove, node);
                        assertSnapshot(reader, writes, afterMove, node);
                        assertSnapshot(reader, writes, last, node);
                    }
                }

                RangeInfo listed = n1.admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList()
                        .stream().filter(r -> r.getRange().getRangeId() == moving.getRangeId()).findFirst()
                        .orElseThrow();
                assertEquals(target, listed.getRange().getGroupId());
                assertTrue(rangesOf(n1, target).contains(moving.getRangeId()));
                assertFalse(rangesOf(n1, SOURCE_GROUP).contains(moving.getRangeId()));

                TestClient.Outcome later = n1.commit(List.of(put("m/after-move", "yes")), PATIENCE);
                long laterTs = ((TestClient.Outcome.Committed) later).commitTsMicros();
                assertTrue(laterTs > last);
                assertEquals(bytes("yes"), n1.strongGet("m/after-move", PATIENCE).orElseThrow().getValue());

                assertRefused(n1, Status.Code.FAILED_PRECONDITION, moving.getRangeId(), target); // already there
                assertRefused(n1, Status.Code.FAILED_PRECONDITION, 987_654_321L, target);
                assertRefused(n1, Status.Code.FAILED_PRECONDITION, moving.getRangeId(), 4242);
                assertRefused(n1, Status.Code.INVALID_ARGUMENT, 0, target);
            }
        }
    }

    private static void write(String address, int writer, AtomicBoolean stop, Map<String, Long> writes,
            ConcurrentLinkedQueue<String> failures) {
        try (TestClient client = new TestClient(address)) {
            for (int i = 0; !stop.get() && i < 20_000; i++) {
                String key = (i % 2 == 0 ? "m/" : (i % 4 == 1 ? "a/" : "z/")) + writer + "/" + i;
                TestClient.Outcome outcome = client.commit(List.of(put(key, value(key))), PATIENCE);
                if (outcome instanceof TestClient.Outcome.Committed committed) {
                    writes.put(key, committed.commitTsMicros());
                } else {
                    failures.add(key + ": " + outcome);
                    return;
                }
            }
        }
    }

    private static String value(String key) {
        return "v:" + key;
    }

    private static long lastTs(Map<String, Long> writes) {
        return writes.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static void assertSnapshot(TestClient reader, Map<String, Long> writes, long readTs, String node) {
        Map<String, String> expected = new TreeMap<>();
        writes.forEach((key, ts) -> {
            if (ts <= readTs) {
                expected.put(key, value(key));
            }
        });
        Map<String, String> seen = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        for (Row row : reader.scanAllAt(readTs, PATIENCE)) {
            String key = row.getKey().toStringUtf8();
            assertTrue(keys.add(key), key + " appears twice at " + readTs + " on " + node);
            seen.put(key, row.getValue().toStringUtf8());
        }
        Map<String, Long> extra = new TreeMap<>();
        seen.keySet().stream().filter(key -> !expected.containsKey(key))
                .forEach(key -> extra.put(key, writes.getOrDefault(key, -1L)));
        assertEquals(expected, seen, "snapshot at " + readTs + " on " + node + "; keys seen but not expected, with their"
                + " commit timestamps (-1: not acknowledged): " + extra);
    }

    private static List<Long> rangesOf(TestClient client, long groupId) {
        for (GroupInfo group : client.admin().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()) {
            if (group.getGroupId() == groupId) {
                return group.getRangeIdsList();
            }
        }
        throw new AssertionError("no group " + groupId);
    }

    private static void assertRefused(TestClient client, Status.Code code, long rangeId, long groupId) {
        try {
            client.admin().moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeId).setTargetGroupId(groupId).build());
            throw new AssertionError("moving range " + rangeId + " to group " + groupId + " was not refused");
        } catch (StatusRuntimeException e) {
            assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        }
    }

    private static void awaitWrites(Map<String, Long> writes, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (writes.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load made only " + writes.size() + " of " + count + " writes");
            }
            Thread.sleep(20);
        }
    }
}
