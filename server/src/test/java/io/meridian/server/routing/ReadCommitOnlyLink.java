package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
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
 * A test {@link NodeLink} that serves only reads and commits: every other call fails with
 * {@link UnsupportedOperationException}, so a test that strays into them fails loudly.
 * Subclasses supply {@code target}, {@code groupRead} and {@code txn}.
 */
public abstract class ReadCommitOnlyLink implements NodeLink {

    @Override
    public GroupSplitResponse groupSplit(GroupSplitRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MetaState getMeta(Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CommandReply proposeMeta(MetaCommand command, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CommandReply proposeMetaHere(MetaCommand command, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startReplica(StartReplicaRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopReplica(StopReplicaRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GroupInfo changeReplicas(ChangeReplicasRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GroupInfo transferLeadership(TransferLeadershipRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Node nodeStatus(Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public io.meridian.api.internal.v1.CopyVersionsResponse copyVersions(
            io.meridian.api.internal.v1.CopyVersionsRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public io.meridian.api.internal.v1.CommandReply proposeGroupCommand(
            io.meridian.api.internal.v1.ProposeGroupCommandRequest request, Deadline deadline) {
        throw new UnsupportedOperationException();
    }
}
