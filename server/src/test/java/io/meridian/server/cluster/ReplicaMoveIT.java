package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.v1.AddReplicaRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.RemoveReplicaRequest;
import io.meridian.api.v1.Row;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth node joins a running 3-node cluster; the data group gains a replica on it and then
 * loses one of its original replicas, all under a steady write load. Afterwards the new node
 * serves reads at every commit timestamp the load recorded, each returning exactly the writes
 * committed at or before it.
 */
class ReplicaMoveIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long DATA_GROUP = 1;

    @Test
    void aGroupReplicaMovesToAJoiningNodeUnderLoad(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build()) {
            cluster.start();
            try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
                NodeSpec joined = cluster.addNode();
                awaitNodeListed(n1, joined.id());

                // commit timestamp → key, for every acknowledged write (each key written once).
                Map<Long, String> writes = new ConcurrentSkipListMap<>();
                AtomicBoolean stop = new AtomicBoolean();
                Thread load = Thread.ofPlatform().start(() -> {
                    try (TestClient writer = new TestClient(cluster.clientAddress("n2"))) {
                        for (int i = 0; i < 5_000 && !stop.get(); i++) {
                            TestClient.Outcome outcome = writer.commit(List.of(put("move/" + i, "v" + i)), PATIENCE);
                            Long ts = assertInstanceOf(TestClient.Outcome.Committed.class, outcome).commitTsMicros();
                            writes.put(ts, "move/" + i);
                        }
                    }
                });
                awaitWrites(writes, 50);

                GroupInfo grown = n1.admin().addReplica(AddReplicaRequest.newBuilder()
                        .setGroupId(DATA_GROUP).setNodeId(joined.id()).build()).getGroup();
                assertTrue(grown.getReplicaNodeIdsList().contains(joined.id()), grown.toString());
                awaitWrites(writes, writes.size() + 50);

                GroupInfo shrunk = n1.admin().removeReplica(RemoveReplicaRequest.newBuilder()
                        .setGroupId(DATA_GROUP).setNodeId("n3").build()).getGroup();
                assertFalse(shrunk.getReplicaNodeIdsList().contains("n3"), shrunk.toString());
                awaitWrites(writes, writes.size() + 50);
                stop.set(true);
                load.join(PATIENCE.toMillis());
                assertFalse(load.isAlive(), "the load stops");

                assertEquals(List.of("n1", "n2", joined.id()), replicasOf(n1));
                try (TestClient reader = new TestClient(joined.clientAddress())) {
                    List<Long> timestamps = List.copyOf(writes.keySet());
                    for (int i = 0; i < timestamps.size(); i += Math.max(1, timestamps.size() / 25)) {
                        assertSnapshot(reader, writes, timestamps.get(i));
                    }
                    assertSnapshot(reader, writes, timestamps.get(timestamps.size() - 1));
                }
            }
        }
    }

    private static void assertSnapshot(TestClient reader, Map<Long, String> writes, long readTs) {
        Map<String, String> expected = new TreeMap<>();
        writes.forEach((ts, key) -> {
            if (ts <= readTs) {
                expected.put(key, "v" + key.substring("move/".length()));
            }
        });
        Map<String, String> seen = new TreeMap<>();
        for (Row row : reader.scanAllAt(readTs, PATIENCE)) {
            seen.put(row.getKey().toStringUtf8(), row.getValue().toStringUtf8());
        }
        assertEquals(expected, seen, "snapshot at " + readTs);
    }

    private static List<String> replicasOf(TestClient client) {
        for (GroupInfo group : client.admin().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()) {
            if (group.getGroupId() == DATA_GROUP) {
                return group.getReplicaNodeIdsList().stream().sorted().toList();
            }
        }
        throw new AssertionError("no group " + DATA_GROUP);
    }

    private static void awaitNodeListed(TestClient client, String nodeId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (Node node : client.admin().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList()) {
                if (node.getNodeId().equals(nodeId)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(nodeId + " never joined");
    }

    private static void awaitWrites(Map<Long, String> writes, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (writes.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load made only " + writes.size() + " of " + count + " writes");
            }
            Thread.sleep(20);
        }
    }
}
