package io.meridian.chaos.run;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.SplitRangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shapes a fresh cluster for a workload through the Admin service: splits the keyspace at the
 * given keys and spreads the resulting ranges over {@code groups} Raft groups (the existing
 * data group and new ones on the given nodes), so that transactions cross ranges and groups.
 */
public final class ClusterShape {

    private ClusterShape() {
    }

    /**
     * @param adminAddress any node's client address, {@code host:port}
     * @param splitKeys    keys to split at, ascending
     * @param groups       how many groups to spread the ranges over, at least 1 (group 1 included)
     * @param replicaNodes the nodes that host each new group's replicas
     * @return the ids of the groups used, group 1 first
     */
    public static List<Long> spread(String adminAddress, List<String> splitKeys, int groups, List<String> replicaNodes) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(adminAddress).usePlaintext().build();
        try {
            AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
            List<Long> groupIds = new ArrayList<>(List.of(1L));
            for (int g = 1; g < groups; g++) {
                groupIds.add(admin.createGroup(CreateGroupRequest.newBuilder().addAllReplicaNodeIds(replicaNodes).build())
                        .getGroup().getGroupId());
            }
            for (String key : splitKeys) {
                admin.splitRange(SplitRangeRequest.newBuilder().setSplitKey(ByteString.copyFromUtf8(key)).build());
            }
            for (int i = 0; i < splitKeys.size(); i++) {
                long target = groupIds.get((i + 1) % groupIds.size());
                if (target != 1) {
                    long rangeId = rangeStartingAt(admin, ByteString.copyFromUtf8(splitKeys.get(i)));
                    admin.moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeId).setTargetGroupId(target).build());
                }
            }
            return List.copyOf(groupIds);
        } finally {
            channel.shutdownNow();
        }
    }

    private static long rangeStartingAt(AdminGrpc.AdminBlockingStub admin, ByteString start) {
        for (RangeInfo info : admin.listRanges(ListRangesRequest.getDefaultInstance()).getRangesList()) {
            RangeDescriptor range = info.getRange();
            if (range.getSpan().getStart().equals(start)) {
                return range.getRangeId();
            }
        }
        throw new IllegalStateException("no range starts at " + start.toStringUtf8());
    }
}
