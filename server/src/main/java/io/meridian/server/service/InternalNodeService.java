package io.meridian.server.service;

import io.grpc.stub.StreamObserver;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CopyVersionsRequest;
import io.meridian.api.internal.v1.CopyVersionsResponse;
import io.meridian.api.internal.v1.ProposeGroupCommandRequest;
import io.meridian.api.internal.v1.GetMetaRequest;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.server.node.NodeTxnTransport;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.GroupSplitResponse;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeServiceGrpc;
import io.meridian.api.internal.v1.NodeStatusRequest;
import io.meridian.api.internal.v1.StartReplicaRequest;
import io.meridian.api.internal.v1.StartReplicaResponse;
import io.meridian.api.internal.v1.StopReplicaRequest;
import io.meridian.api.internal.v1.StopReplicaResponse;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.TransferLeadershipRequest;
import io.meridian.server.routing.ForwardedCall;
import io.meridian.server.routing.NodeLink;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.StatusMapper;
import io.meridian.storage.GroupId;
import java.util.Objects;
import java.util.Optional;

/**
 * The internal {@code NodeService} over gRPC: each method runs the same operation another node
 * would run in-process through this node's local {@link NodeLink}, and maps its failure through
 * the {@link StatusMapper} (which {@code StatusReader} reads back at the caller). A meta proposal
 * marked as forwarded ({@link ForwardedCall}) is proposed here or refused, never forwarded again.
 *
 * <p>Thread-safe; handlers run on virtual threads.
 */
public final class InternalNodeService extends NodeServiceGrpc.NodeServiceImplBase {

    private final NodeLink local;
    private final StatusMapper mapper;

    /**
     * @param local this node's in-process operations
     * @param mapper the status mapper
     */
    public InternalNodeService(NodeLink local, StatusMapper mapper) {
        this.local = Objects.requireNonNull(local, "local");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    private static Optional<GroupId> group(long groupId) {
        return Optional.of(new GroupId(groupId));
    }

    @Override
    public void groupRead(GroupReadRequest request, StreamObserver<GroupReadResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, group(request.getGroupId()),
                () -> local.groupRead(request, Calls.deadline()));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnReply> observer) {
        CallKind kind = NodeTxnTransport.kindOf(request);
        Calls.unary(observer, mapper, kind, group(request.getGroupId()), () -> local.txn(request, Calls.deadline()));
    }

    @Override
    public void groupSplit(GroupSplitRequest request, StreamObserver<GroupSplitResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, group(request.getGroupId()),
                () -> local.groupSplit(request, Calls.deadline()));
    }

    @Override
    public void getMeta(GetMetaRequest request, StreamObserver<MetaState> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> local.getMeta(Calls.deadline()));
    }

    @Override
    public void proposeMeta(MetaCommand request, StreamObserver<CommandReply> observer) {
        boolean forwarded = ForwardedCall.current();
        Calls.unary(observer, mapper, CallKind.COMMIT, group(0), () -> forwarded
                ? local.proposeMetaHere(request, Calls.deadline())
                : local.proposeMeta(request, Calls.deadline()));
    }

    @Override
    public void startReplica(StartReplicaRequest request, StreamObserver<StartReplicaResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, group(request.getGroupId()), () -> {
            local.startReplica(request, Calls.deadline());
            return StartReplicaResponse.getDefaultInstance();
        });
    }

    @Override
    public void stopReplica(StopReplicaRequest request, StreamObserver<StopReplicaResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, group(request.getGroupId()), () -> {
            local.stopReplica(request, Calls.deadline());
            return StopReplicaResponse.getDefaultInstance();
        });
    }

    @Override
    public void changeReplicas(ChangeReplicasRequest request, StreamObserver<GroupInfo> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, group(request.getGroupId()),
                () -> local.changeReplicas(request, Calls.deadline()));
    }

    @Override
    public void transferLeadership(TransferLeadershipRequest request, StreamObserver<GroupInfo> observer) {
        // A failed transfer leaves the leadership somewhere valid: retryable, never ambiguous.
        Calls.unary(observer, mapper, CallKind.READ, group(request.getGroupId()),
                () -> local.transferLeadership(request, Calls.deadline()));
    }

    @Override
    public void copyVersions(CopyVersionsRequest request, StreamObserver<CopyVersionsResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, group(request.getGroupId()),
                () -> local.copyVersions(request, Calls.deadline()));
    }

    @Override
    public void proposeGroupCommand(ProposeGroupCommandRequest request, StreamObserver<CommandReply> observer) {
        // Only idempotent commands come this way (range moves): a lost answer is safe to retry.
        Calls.unary(observer, mapper, CallKind.READ, group(request.getGroupId()),
                () -> local.proposeGroupCommand(request, Calls.deadline()));
    }

    @Override
    public void nodeStatus(NodeStatusRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> local.nodeStatus(Calls.deadline()));
    }
}
