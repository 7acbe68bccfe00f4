package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommitRequest;
import io.meridian.api.internal.v1.GroupCommitResponse;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A node whose group reads and commits fail with scripted exceptions, then succeed; it counts
 * the calls it received. Other operations are not used by the tests that script it.
 */
final class ScriptedLink implements NodeLink {

    private final String target;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    int calls;

    ScriptedLink(String target) {
        this.target = target;
    }

    /** The next calls fail with these, in order. */
    ScriptedLink failWith(RuntimeException... next) {
        failures.addAll(List.of(next));
        return this;
    }

    private void answer() {
        calls++;
        RuntimeException next = failures.poll();
        if (next != null) {
            throw next;
        }
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline) {
        answer();
        return GroupReadResponse.newBuilder().setReadTsMicros(calls).build();
    }

    @Override
    public GroupCommitResponse groupCommit(GroupCommitRequest request, Deadline deadline) {
        answer();
        return GroupCommitResponse.newBuilder().setCommitTsMicros(100).build();
    }

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
