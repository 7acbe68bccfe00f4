package io.meridian.groups.ratis;

import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicationException;
import io.meridian.storage.GroupId;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;

/**
 * Maps Ratis' replies and exceptions to the seam's outcomes. The one rule that matters: a
 * request that may have reached the log is never reported as "not leader", because the caller
 * would take that as "nothing was done" and might retry a command that commits after all.
 */
final class RatisReplies {

    private final GroupId group;
    private final NodeId self;

    RatisReplies(GroupId group, NodeId self) {
        this.group = group;
        this.self = self;
    }

    /**
     * How a proposal ended: empty when it succeeded, else the seam's failure.
     *
     * @param reply Ratis' reply, or null when the request's future failed with {@code error}
     * @param error the exception the request's future failed with, or null
     * @param appended whether the proposal may have reached the leader's log
     */
    Optional<RuntimeException> proposalFailure(RaftClientReply reply, Throwable error, boolean appended) {
        if (error == null && reply != null && reply.isSuccess()) {
            return Optional.empty();
        }
        Throwable cause = cause(reply, error);
        if (appended) {
            return Optional.of(new ReplicationException(group + ": the outcome of a proposal is unknown", cause));
        }
        Optional<NotLeaderException> notLeader = notLeader(cause);
        if (notLeader.isPresent()) {
            return Optional.of(notLeader.get());
        }
        // Refused before the log (for example too many pending proposals): nothing was done, but
        // the seam has no outcome for "refused, retry later" other than the ambiguous one.
        return Optional.of(new ReplicationException(group + ": a proposal was refused before it reached the log", cause));
    }

    /**
     * How an administrative request (configuration change, leadership transfer) ended: empty when
     * it succeeded, {@link NotLeaderException} when this replica is not the leader (retrying at
     * the leader is safe, since these requests state a goal rather than a change), else
     * {@link ReplicationException}.
     */
    Optional<RuntimeException> adminFailure(RaftClientReply reply, Throwable error, String what) {
        if (error == null && reply != null && reply.isSuccess()) {
            return Optional.empty();
        }
        Throwable cause = cause(reply, error);
        Optional<NotLeaderException> notLeader = notLeader(cause);
        if (notLeader.isPresent()) {
            return Optional.of(notLeader.get());
        }
        return Optional.of(new ReplicationException(group + ": could not " + what, cause));
    }

    private static Throwable cause(RaftClientReply reply, Throwable error) {
        if (error != null) {
            return unwrap(error);
        }
        return reply == null ? null : reply.getException();
    }

    /** A "not leader" answer, when {@code cause} says this replica cannot serve as leader now. */
    Optional<NotLeaderException> notLeader(Throwable cause) {
        if (cause instanceof org.apache.ratis.protocol.exceptions.NotLeaderException notLeader) {
            return Optional.of(notLeader(Optional.ofNullable(notLeader.getSuggestedLeader())
                    .map(RaftPeer::getId).map(RatisIds::nodeId)));
        }
        if (cause instanceof LeaderNotReadyException) {
            // This replica was just elected and has not committed an entry of its term yet:
            // it is the leader to retry at, shortly.
            return Optional.of(notLeader(Optional.of(self)));
        }
        if (cause instanceof LeaderSteppingDownException || cause instanceof GroupMismatchException
                || cause instanceof AlreadyClosedException || cause instanceof ServerNotReadyException) {
            return Optional.of(notLeader(Optional.empty()));
        }
        return Optional.empty();
    }

    NotLeaderException notLeader(Optional<NodeId> leaderHint) {
        return new NotLeaderException(group, leaderHint);
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
