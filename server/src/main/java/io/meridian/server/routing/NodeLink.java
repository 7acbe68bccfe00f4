package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CopyVersionsRequest;
import io.meridian.api.internal.v1.CopyVersionsResponse;
import io.meridian.api.internal.v1.ProposeGroupCommandRequest;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.GroupSplitResponse;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.StartReplicaRequest;
import io.meridian.api.internal.v1.StopReplicaRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.TransferLeadershipRequest;

/**
 * The internal node service of one node, as a gateway calls it: in-process for this node, over
 * gRPC for the others. Every method blocks until the answer or the deadline (callers run on
 * virtual threads).
 *
 * <p>Failures are the exceptions the groups layer defines ({@code NotLeaderException},
 * {@code LeaseUnavailableException}, {@code CommandRejectedException}, ...), storage exceptions,
 * and for remote nodes what {@link io.meridian.server.status.StatusReader} makes of the answer:
 * {@link io.meridian.server.status.NodeUnreachableException} when the transport failed,
 * {@link io.meridian.server.status.RemoteStatusException} for errors to relay unchanged.
 */
public interface NodeLink {

    /** The node this link reaches, for messages: its id or address. */
    String target();

    /** See {@code NodeService.GroupRead}. */
    GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline);

    /** See {@code NodeService.Txn}: a transaction step at this node's replica of the request's group. */
    TxnReply txn(TxnRequest request, Deadline deadline);

    /** See {@code NodeService.GroupSplit}. */
    GroupSplitResponse groupSplit(GroupSplitRequest request, Deadline deadline);

    /** See {@code NodeService.GetMeta}. */
    MetaState getMeta(Deadline deadline);

    /** See {@code NodeService.ProposeMeta}: the node forwards it to the meta leader if need be. */
    CommandReply proposeMeta(MetaCommand command, Deadline deadline);

    /**
     * {@code NodeService.ProposeMeta} marked as forwarded ({@link ForwardedCall}): the node
     * proposes at its own meta replica or fails with {@code NotLeaderException}, never forwarding.
     */
    CommandReply proposeMetaHere(MetaCommand command, Deadline deadline);

    /** See {@code NodeService.StartReplica}. */
    void startReplica(StartReplicaRequest request, Deadline deadline);

    /** See {@code NodeService.StopReplica}. */
    void stopReplica(StopReplicaRequest request, Deadline deadline);

    /** See {@code NodeService.ChangeReplicas}. */
    GroupInfo changeReplicas(ChangeReplicasRequest request, Deadline deadline);

    /** See {@code NodeService.TransferLeadership}. */
    GroupInfo transferLeadership(TransferLeadershipRequest request, Deadline deadline);

    /** See {@code NodeService.CopyVersions}: at this node's replica of the group. */
    CopyVersionsResponse copyVersions(CopyVersionsRequest request, Deadline deadline);

    /**
     * See {@code NodeService.ProposeGroupCommand}: proposed at this node's replica, which must
     * lead ({@code NotLeaderException} otherwise; {@code GroupCaller} follows the hint). Meant for
     * idempotent commands (the range-move commands), which callers may retry.
     */
    CommandReply proposeGroupCommand(ProposeGroupCommandRequest request, Deadline deadline);

    /** See {@code NodeService.NodeStatus}. */
    Node nodeStatus(Deadline deadline);
}
