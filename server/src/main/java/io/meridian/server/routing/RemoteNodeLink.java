package io.meridian.server.routing;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CopyVersionsRequest;
import io.meridian.api.internal.v1.CopyVersionsResponse;
import io.meridian.api.internal.v1.ProposeGroupCommandRequest;
import io.meridian.api.internal.v1.GetMetaRequest;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.GroupSplitResponse;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeServiceGrpc;
import io.meridian.api.internal.v1.NodeStatusRequest;
import io.meridian.api.internal.v1.StartReplicaRequest;
import io.meridian.api.internal.v1.StopReplicaRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.TransferLeadershipRequest;
import io.meridian.server.status.StatusReader;
import java.util.function.Function;

/**
 * A {@link NodeLink} over gRPC: a blocking stub per call with the call's deadline, and the
 * answer's status read back by {@link StatusReader}. Thread-safe; the channel is shared and owned
 * by {@link NodeLinks}.
 */
final class RemoteNodeLink implements NodeLink {

    private final String target;
    private final ManagedChannel channel;

    RemoteNodeLink(String target, ManagedChannel channel) {
        this.target = target;
        this.channel = channel;
    }

    @Override
    public String target() {
        return target;
    }

    private <T> T call(Deadline deadline, Function<NodeServiceGrpc.NodeServiceBlockingStub, T> rpc) {
        try {
            return rpc.apply(NodeServiceGrpc.newBlockingStub(channel).withDeadline(deadline));
        } catch (StatusRuntimeException e) {
            throw StatusReader.fromRemote(e, target);
        }
    }

    @Override
    public GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.groupRead(request));
    }

    @Override
    public TxnReply txn(TxnRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.txn(request));
    }

    @Override
    public GroupSplitResponse groupSplit(GroupSplitRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.groupSplit(request));
    }

    @Override
    public MetaState getMeta(Deadline deadline) {
        return call(deadline, stub -> stub.getMeta(GetMetaRequest.getDefaultInstance()));
    }

    @Override
    public CommandReply proposeMeta(MetaCommand command, Deadline deadline) {
        return call(deadline, stub -> stub.proposeMeta(command));
    }

    @Override
    public CommandReply proposeMetaHere(MetaCommand command, Deadline deadline) {
        return call(deadline, stub -> stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                ForwardedCall.headers())).proposeMeta(command));
    }

    @Override
    public void startReplica(StartReplicaRequest request, Deadline deadline) {
        call(deadline, stub -> stub.startReplica(request));
    }

    @Override
    public void stopReplica(StopReplicaRequest request, Deadline deadline) {
        call(deadline, stub -> stub.stopReplica(request));
    }

    @Override
    public GroupInfo changeReplicas(ChangeReplicasRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.changeReplicas(request));
    }

    @Override
    public GroupInfo transferLeadership(TransferLeadershipRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.transferLeadership(request));
    }

    @Override
    public CopyVersionsResponse copyVersions(CopyVersionsRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.copyVersions(request));
    }

    @Override
    public CommandReply proposeGroupCommand(ProposeGroupCommandRequest request, Deadline deadline) {
        return call(deadline, stub -> stub.proposeGroupCommand(request));
    }

    @Override
    public Node nodeStatus(Deadline deadline) {
        return call(deadline, stub -> stub.nodeStatus(NodeStatusRequest.getDefaultInstance()));
    }
}
