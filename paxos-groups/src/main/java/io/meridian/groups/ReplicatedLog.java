package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One group's replicated log, as seen from one replica: the seam between Meridian's group
 * logic and Raft. The Ratis implementation is {@code io.meridian.groups.ratis}.
 *
 * <p>Thread-safe. Futures complete on the replication layer's threads; callers must not block
 * in their callbacks.
 */
public interface ReplicatedLog {

    /** The group. */
    GroupId group();

    /** This replica's node. */
    NodeId self();

    /**
     * Appends {@code command} at the leader and completes with the reply this replica's
     * {@link GroupStateMachine#apply} returned once the command is committed and applied here.
     * Commands proposed by one thread, one after another, enter the log in that order.
     *
     * <p>Fails with {@link NotLeaderException} when this replica is not the leader (the
     * command was not appended), and with {@link ReplicationException} when the outcome is
     * unknown (the command may or may not be committed later).
     */
    CompletableFuture<ByteString> propose(ByteString command);

    /** The leader this replica knows of, if any. */
    Optional<NodeId> leader();

    /** True when this replica is the leader. */
    boolean isLeader();

    /** The members of the group's current configuration. */
    List<Replica> members();

    /**
     * Replaces the group's members (at the leader). New members catch up from the log or a
     * snapshot before the change commits. Fails with {@link NotLeaderException} elsewhere; a
     * leader that is not among {@code members} may first hand leadership to one that is and then
     * fail with {@link NotLeaderException} naming it, so the caller repeats the change there.
     */
    CompletableFuture<Void> changeMembers(List<Replica> members);

    /** Asks the leader to hand leadership to {@code target}, waiting at most {@code timeout}. */
    CompletableFuture<Void> transferLeadership(NodeId target, Duration timeout);
}
