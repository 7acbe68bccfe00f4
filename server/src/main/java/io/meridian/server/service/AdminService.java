package io.meridian.server.service;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.GroupSplitResponse;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.StartReplicaRequest;
import io.meridian.api.internal.v1.StopReplicaRequest;
import io.meridian.api.v1.AddReplicaRequest;
import io.meridian.api.v1.AddReplicaResponse;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.CreateGroupResponse;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListGroupsResponse;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListNodesResponse;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.MoveRangeResponse;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.RemoveReplicaRequest;
import io.meridian.api.v1.RemoveReplicaResponse;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.api.v1.SplitRangeResponse;
import io.meridian.api.v1.TransferLeadershipRequest;
import io.meridian.api.v1.TransferLeadershipResponse;
import io.meridian.groups.CommandRejectedException;
import io.meridian.groups.NodeId;
import io.meridian.server.gateway.RequestValidator;
import io.meridian.server.node.RangeMover;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.LeaderCache;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.NodeLinks;
import io.meridian.server.routing.RoutingTable;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.status.StatusMapper;
import io.meridian.server.wire.ProtoConversions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The public {@code Admin} service: listings from the meta directory (with each node's own
 * status), range splits, group creation and replica changes, leadership transfers. Every change
 * is made at the node or leader that owns it, then recorded in the meta group; range moves run
 * through {@link RangeMover}.
 *
 * <p>Thread-safe; handlers run on virtual threads and fan out on the background executor.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {

    private static final Logger LOG = Logger.getLogger(AdminService.class.getName());
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final MetaCache meta;
    private final GroupCaller caller;
    private final NodeLinks links;
    private final LeaderCache leaders;
    private final Function<Long, Optional<NodeId>> localLeader;
    private final MetaProposals proposals;
    private final StatusMapper mapper;
    private final ExecutorService fanOut;
    private final RangeMover mover;

    /**
     * @param localLeader the leader this node's replica of a group knows, if it has one
     * @param proposals meta proposals through this node
     * @param fanOut executor (virtual threads) for calls to several nodes at once
     * @param mover runs range moves
     */
    public AdminService(MetaCache meta, GroupCaller caller, NodeLinks links, LeaderCache leaders,
            Function<Long, Optional<NodeId>> localLeader, MetaProposals proposals, StatusMapper mapper,
            ExecutorService fanOut, RangeMover mover) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.links = Objects.requireNonNull(links, "links");
        this.leaders = Objects.requireNonNull(leaders, "leaders");
        this.localLeader = Objects.requireNonNull(localLeader, "localLeader");
        this.proposals = Objects.requireNonNull(proposals, "proposals");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.mover = Objects.requireNonNull(mover, "mover");
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            List<CompletableFuture<Node>> statuses = new ArrayList<>();
            for (NodeRecord record : knownTable().meta().getNodesList()) {
                statuses.add(CompletableFuture.supplyAsync(() -> nodeStatus(record), fanOut));
            }
            return ListNodesResponse.newBuilder().addAllNodes(statuses.stream().map(CompletableFuture::join).toList())
                    .build();
        });
    }

    private Node nodeStatus(NodeRecord record) {
        try {
            return links.forNode(record).nodeStatus(Deadline.after(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RuntimeException e) {
            return Node.newBuilder().setNodeId(record.getNodeId()).setAddress(record.getAddress())
                    .setRaftAddress(record.getRaftAddress()).setRegion(record.getRegion()).setZone(record.getZone())
                    .setHealth(NodeHealth.NODE_HEALTH_UNREACHABLE).build();
        }
    }

    @Override
    public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            RoutingTable table = knownTable();
            ListRangesResponse.Builder response = ListRangesResponse.newBuilder();
            for (DirectoryEntry entry : table.directory()) {
                response.addRanges(RangeInfo.newBuilder().setApproximateBytes(-1).setRange(ProtoConversions.descriptor(
                        entry, replicaIds(table, entry.getGroupId()), leaderOf(entry.getGroupId()))));
            }
            return response.build();
        });
    }

    @Override
    public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            RoutingTable table = knownTable();
            ListGroupsResponse.Builder response = ListGroupsResponse.newBuilder();
            table.meta().getGroupsList().forEach(g -> response.addGroups(groupInfo(table, g)));
            return response.build();
        });
    }

    @Override
    public void splitRange(SplitRangeRequest request, StreamObserver<SplitRangeResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            RequestValidator.checkKey(request.getSplitKey(), "split_key");
            SplitResult split = split(request.getSplitKey(), Calls.deadline());
            RoutingTable table = meta.table();
            List<String> replicas = replicaIds(table, split.groupId());
            Optional<NodeId> leader = leaderOf(split.groupId());
            return SplitRangeResponse.newBuilder()
                    .setLeft(ProtoConversions.descriptor(split.halves().getLeft(), split.groupId(), replicas, leader))
                    .setRight(ProtoConversions.descriptor(split.halves().getRight(), split.groupId(), replicas, leader))
                    .build();
        });
    }

    private record SplitResult(long groupId, GroupSplitResponse halves) {
    }

    private SplitResult split(ByteString key, Deadline deadline) {
        for (int attempt = 1; ; attempt++) {
            RoutingTable table = attempt == 1 ? meta.table() : meta.refresh();
            DirectoryEntry entry = table.rangeFor(key).orElseThrow(() -> new RequestFailedException(
                    ErrorReason.UNAVAILABLE, "the directory known to this node has no range for the split key"));
            if (entry.getSpan().getStart().equals(key)) {
                throw RequestFailedException.invalid("split_key already starts range " + entry.getRangeId());
            }
            GroupSplitRequest request = GroupSplitRequest.newBuilder().setGroupId(entry.getGroupId())
                    .setSplitKey(key).build();
            try {
                GroupSplitResponse halves = caller.atLeader(entry.getGroupId(), CallKind.COMMIT, deadline,
                        (link, d) -> link.groupSplit(request, d));
                recordSplit(entry.getGroupId(), halves, deadline);
                return new SplitResult(entry.getGroupId(), halves);
            } catch (CommandRejectedException e) {
                if (e.reason() != RejectReason.REJECT_REASON_WRONG_RANGE || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private void recordSplit(long groupId, GroupSplitResponse halves, Deadline deadline) {
        try {
            proposals.directoryUpdate(List.of(ProtoConversions.directoryEntry(halves.getLeft(), groupId),
                    ProtoConversions.directoryEntry(halves.getRight(), groupId)), deadline);
        } catch (RuntimeException e) {
            // The split is done; the group leader's reconciliation records it in the directory later.
            LOG.log(Level.INFO, "recording a split of group " + groupId + " in the directory failed", e);
        }
    }

    @Override
    public void createGroup(CreateGroupRequest request, StreamObserver<CreateGroupResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            Deadline deadline = Calls.deadline();
            List<NodeRecord> members = nodes(knownTable(), request.getReplicaNodeIdsList(), "replica_node_ids");
            long groupId = proposals.allocateGroupId(deadline);
            StartReplicaRequest start = StartReplicaRequest.newBuilder().setGroupId(groupId).addAllMembers(members)
                    .setInit(InitGroup.newBuilder().setGroupId(groupId)).build();
            List<CompletableFuture<Void>> starts = members.stream().map(node -> CompletableFuture.runAsync(
                    () -> links.forNode(node).startReplica(start, deadline), fanOut)).toList();
            starts.forEach(CompletableFuture::join);
            GroupRecord record = GroupRecord.newBuilder().setGroupId(groupId)
                    .addAllReplicaNodeIds(request.getReplicaNodeIdsList()).build();
            proposals.upsertGroup(record, deadline);
            return CreateGroupResponse.newBuilder().setGroup(GroupInfo.newBuilder().setGroupId(groupId)
                    .addAllReplicaNodeIds(record.getReplicaNodeIdsList())).build();
        });
    }

    @Override
    public void moveRange(MoveRangeRequest request, StreamObserver<MoveRangeResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            if (request.getRangeId() == 0) {
                throw RequestFailedException.invalid("range_id is missing");
            }
            if (request.getTargetGroupId() == 0) {
                throw RequestFailedException.invalid("target_group_id is missing");
            }
            knownTable();
            DirectoryEntry moved = mover.move(request.getRangeId(), request.getTargetGroupId(), Calls.deadline());
            RoutingTable table = meta.table();
            return MoveRangeResponse.newBuilder().setRange(ProtoConversions.descriptor(moved,
                    replicaIds(table, moved.getGroupId()), leaderOf(moved.getGroupId()))).build();
        });
    }

    @Override
    public void addReplica(AddReplicaRequest request, StreamObserver<AddReplicaResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            Deadline deadline = Calls.deadline();
            RoutingTable table = knownTable();
            GroupRecord group = groupRecord(table, request.getGroupId());
            NodeRecord added = nodes(table, List.of(request.getNodeId()), "node_id").get(0);
            if (group.getReplicaNodeIdsList().contains(request.getNodeId())) {
                return AddReplicaResponse.newBuilder().setGroup(groupInfo(table, group)).build();
            }
            List<String> ids = new ArrayList<>(group.getReplicaNodeIdsList());
            ids.add(request.getNodeId());
            List<NodeRecord> members = nodes(table, ids, "the group's replicas");
            links.forNode(added).startReplica(StartReplicaRequest.newBuilder().setGroupId(group.getGroupId())
                    .addAllMembers(members).build(), deadline);
            GroupInfo info = changeReplicas(group.getGroupId(), members, deadline);
            proposals.upsertGroup(group.toBuilder().clearReplicaNodeIds().addAllReplicaNodeIds(ids).build(), deadline);
            return AddReplicaResponse.newBuilder().setGroup(info).build();
        });
    }

    @Override
    public void removeReplica(RemoveReplicaRequest request, StreamObserver<RemoveReplicaResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            Deadline deadline = Calls.deadline();
            RoutingTable table = knownTable();
            GroupRecord group = groupRecord(table, request.getGroupId());
            if (!group.getReplicaNodeIdsList().contains(request.getNodeId())) {
                return RemoveReplicaResponse.newBuilder().setGroup(groupInfo(table, group)).build();
            }
            if (group.getReplicaNodeIdsCount() == 1) {
                throw RequestFailedException.invalid("node " + request.getNodeId() + " holds the last replica of group "
                        + group.getGroupId());
            }
            List<String> ids = new ArrayList<>(group.getReplicaNodeIdsList());
            ids.remove(request.getNodeId());
            GroupInfo info = changeReplicas(group.getGroupId(), nodes(table, ids, "the group's replicas"), deadline);
            table.node(request.getNodeId()).ifPresent(node -> stopQuietly(node, group.getGroupId(), deadline));
            proposals.upsertGroup(group.toBuilder().clearReplicaNodeIds().addAllReplicaNodeIds(ids).build(), deadline);
            return RemoveReplicaResponse.newBuilder().setGroup(info).build();
        });
    }

    private void stopQuietly(NodeRecord node, long groupId, Deadline deadline) {
        try {
            links.forNode(node).stopReplica(StopReplicaRequest.newBuilder().setGroupId(groupId).build(), deadline);
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "stopping the removed replica of group " + groupId + " on " + node.getNodeId()
                    + " failed; it no longer belongs to the group", e);
        }
    }

    private GroupInfo changeReplicas(long groupId, List<NodeRecord> members, Deadline deadline) {
        ChangeReplicasRequest change = ChangeReplicasRequest.newBuilder().setGroupId(groupId).addAllMembers(members)
                .build();
        return caller.atLeader(groupId, CallKind.COMMIT, deadline, (link, d) -> link.changeReplicas(change, d));
    }

    @Override
    public void transferLeadership(TransferLeadershipRequest request, StreamObserver<TransferLeadershipResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            RoutingTable table = knownTable();
            GroupRecord group = groupRecord(table, request.getGroupId());
            if (!group.getReplicaNodeIdsList().contains(request.getNodeId())) {
                throw RequestFailedException.invalid("node " + request.getNodeId() + " holds no replica of group "
                        + group.getGroupId());
            }
            GroupInfo info = caller.atLeader(group.getGroupId(), CallKind.READ, Calls.deadline(),
                    (link, d) -> link.transferLeadership(request, d));
            leaders.update(group.getGroupId(), new NodeId(request.getNodeId()));
            return TransferLeadershipResponse.newBuilder().setGroup(info).build();
        });
    }

    private RoutingTable knownTable() {
        RoutingTable table = meta.table();
        if (!table.isKnown()) {
            table = meta.refresh();
        }
        if (!table.isKnown()) {
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "this node does not know the cluster directory yet");
        }
        return table;
    }

    private static GroupRecord groupRecord(RoutingTable table, long groupId) {
        return table.group(groupId).orElseThrow(() -> RequestFailedException.invalid("group " + groupId
                + " does not exist"));
    }

    private static List<NodeRecord> nodes(RoutingTable table, List<String> ids, String field) {
        if (ids.isEmpty()) {
            throw RequestFailedException.invalid(field + " is empty");
        }
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw RequestFailedException.invalid(field + " lists a node twice: " + ids);
        }
        List<NodeRecord> found = new ArrayList<>();
        for (String id : ids) {
            found.add(table.node(id).orElseThrow(() -> RequestFailedException.invalid(field + ": node '" + id
                    + "' is not registered")));
        }
        return found;
    }

    private List<String> replicaIds(RoutingTable table, long groupId) {
        return table.group(groupId).<List<String>>map(GroupRecord::getReplicaNodeIdsList).orElse(List.of());
    }

    private Optional<NodeId> leaderOf(long groupId) {
        return localLeader.apply(groupId).or(() -> leaders.leader(groupId));
    }

    private GroupInfo groupInfo(RoutingTable table, GroupRecord group) {
        GroupInfo.Builder info = GroupInfo.newBuilder().setGroupId(group.getGroupId())
                .addAllReplicaNodeIds(group.getReplicaNodeIdsList());
        leaderOf(group.getGroupId()).ifPresent(l -> info.setLeaderNodeId(l.value()));
        table.rangesOfGroup(group.getGroupId()).forEach(e -> info.addRangeIds(e.getRangeId()));
        return info.build();
    }
}
