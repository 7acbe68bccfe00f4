package io.meridian.chaos.run;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.api.v1.TransferLeadershipRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Admin calls the harness makes (list groups and ranges, split, move, transfer leadership),
 * through one node's client address, each with its own deadline.
 */
final class ClusterAdmin implements AutoCloseable {

    private final ManagedChannel channel;
    private final AdminGrpc.AdminBlockingStub admin;
    private final Duration deadline;

    /**
     * @param address  a node's client address, {@code host:port}
     * @param deadline the deadline of each call
     */
    ClusterAdmin(String address, Duration deadline) {
        this.channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        this.admin = AdminGrpc.newBlockingStub(channel);
        this.deadline = deadline;
    }

    private AdminGrpc.AdminBlockingStub call() {
        return admin.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<GroupInfo> groups() {
        return call().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList();
    }

    List<RangeInfo> ranges() {
        return call().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList();
    }

    long createGroup(List<String> replicaNodes) {
        return call().createGroup(CreateGroupRequest.newBuilder().addAllReplicaNodeIds(replicaNodes).build())
                .getGroup().getGroupId();
    }

    void split(String key) {
        call().splitRange(SplitRangeRequest.newBuilder().setSplitKey(ByteString.copyFromUtf8(key)).build());
    }

    void move(long rangeId, long targetGroup) {
        call().moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeId).setTargetGroupId(targetGroup).build());
    }

    void transferLeadership(long groupId, String nodeId) {
        call().transferLeadership(TransferLeadershipRequest.newBuilder().setGroupId(groupId).setNodeId(nodeId).build());
    }

    /** The id of the range that starts at {@code key}. */
    long rangeStartingAt(String key) {
        ByteString start = ByteString.copyFromUtf8(key);
        return ranges().stream().filter(info -> info.getRange().getSpan().getStart().equals(start))
                .mapToLong(info -> info.getRange().getRangeId()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no range starts at " + key));
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
