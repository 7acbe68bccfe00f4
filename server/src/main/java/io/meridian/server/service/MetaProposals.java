package io.meridian.server.service;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.DirectoryUpdate;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.groups.CommandRejectedException;
import io.meridian.server.routing.NodeLink;
import java.util.List;
import java.util.Objects;

/**
 * Meta commands proposed through this node (which forwards them to the meta leader), with the
 * reply read as a value: an applied command returns, a refused one throws
 * {@link CommandRejectedException}. Thread-safe.
 */
public final class MetaProposals {

    private final NodeLink local;

    /** @param local this node's operations, whose {@code proposeMeta} forwards to the meta leader */
    public MetaProposals(NodeLink local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    /** Proposes {@code command}; returns the applied reply. */
    public CommandReply.Applied propose(MetaCommand command, Deadline deadline) {
        CommandReply reply = local.proposeMeta(command, deadline);
        if (reply.hasRejected()) {
            throw new CommandRejectedException(reply.getRejected().getReason(), "the meta group refused "
                    + command.getKindCase() + ": " + reply.getRejected().getMessage(), reply.getRejected().getRangesList());
        }
        return reply.getApplied();
    }

    /** Reserves a new group id. */
    public long allocateGroupId(Deadline deadline) {
        return propose(MetaCommand.newBuilder().setAllocateGroupId(true).build(), deadline).getTsMicros();
    }

    /** Records a group's replicas. */
    public void upsertGroup(GroupRecord group, Deadline deadline) {
        propose(MetaCommand.newBuilder().setUpsertGroup(group).build(), deadline);
    }

    /** Records a node. */
    public void upsertNode(NodeRecord node, Deadline deadline) {
        propose(MetaCommand.newBuilder().setUpsertNode(node).build(), deadline);
    }

    /** Records directory entries (each kept only if its generation is not older than the stored one). */
    public void directoryUpdate(List<DirectoryEntry> entries, Deadline deadline) {
        propose(MetaCommand.newBuilder().setDirectoryUpdate(DirectoryUpdate.newBuilder().addAllEntries(entries))
                .build(), deadline);
    }
}
