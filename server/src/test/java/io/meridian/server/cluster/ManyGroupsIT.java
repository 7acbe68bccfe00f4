package io.meridian.server.cluster;

import static io.meridian.server.cluster.TestClient.bytes;
import static io.meridian.server.cluster.TestClient.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.server.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many groups made and filled back to back on a real 3-node cluster: 25 ranges, 24 of them moved
 * each into a group created just before, then one transaction writing into all 25 groups. Every
 * new group must serve the range it was given (a group whose InitGroup was ordered after the
 * move's first commands used to lose the range again) and the commit must reach every group.
 */
class ManyGroupsIT {

    private static final int GROUPS = 25;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    @Test
    void rangesMovedIntoNewGroupsAreServedAndOneTransactionWritesIntoAllOfThem() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build()) {
            cluster.start();
            try (TestClient n1 = new TestClient(cluster.clientAddress("n1"))) {
                for (int g = 1; g <= GROUPS; g++) {
                    n1.admin().splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes(prefix(g))).build());
                }
                List<Long> groupOf = new ArrayList<>(List.of(1L));
                for (int g = 1; g < GROUPS; g++) {
                    long group = n1.admin().createGroup(CreateGroupRequest.newBuilder()
                            .addReplicaNodeIds("n1").addReplicaNodeIds("n2").addReplicaNodeIds("n3").build())
                            .getGroup().getGroupId();
                    n1.admin().moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeStartingAt(n1, prefix(g))
                            .getRangeId()).setTargetGroupId(group).build());
                    groupOf.add(group);
                }
                List<Mutation> writes = new ArrayList<>();
                for (int g = 0; g < GROUPS; g++) {
                    // The first range starts at the beginning of the keyspace and holds g00/.
                    String start = g == 0 ? "" : prefix(g);
                    assertEquals(groupOf.get(g), rangeStartingAt(n1, start).getGroupId(), prefix(g));
                    writes.add(put(prefix(g) + "k", "v" + g));
                }
                assertInstanceOf(TestClient.Outcome.Committed.class, n1.commit(writes, PATIENCE));
                for (int g = 0; g < GROUPS; g++) {
                    assertEquals(bytes("v" + g), n1.strongGet(prefix(g) + "k", PATIENCE).orElseThrow().getValue(),
                            prefix(g) + "k");
                }
            }
        }
    }

    private static RangeDescriptor rangeStartingAt(TestClient client, String start) {
        ByteString key = bytes(start);
        return client.admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList().stream()
                .map(RangeInfo::getRange).filter(range -> range.getSpan().getStart().equals(key))
                .findFirst().orElseThrow();
    }

    private static String prefix(int g) {
        return String.format("g%02d/", g);
    }
}
