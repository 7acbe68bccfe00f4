package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicationException;
import io.meridian.storage.GroupId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;

/**
 * Shows how Ratis' answers become the seam's outcomes. The rule that keeps callers safe: "not
 * leader" (nothing done, retry at the leader) only for a proposal that never reached the log; the
 * same Ratis answer after the append (the leader stepped down with the entry pending) is
 * ambiguous. A freshly elected leader that is not ready names itself as the leader to retry at.
 */
class RatisRepliesTest {

    private static final GroupId GROUP = new GroupId(5);
    private static final NodeId SELF = new NodeId("n1");
    private static final RaftGroupMemberId MEMBER = RaftGroupMemberId.valueOf(
            RaftPeerId.valueOf("n1"), RatisIds.raftGroupId(GROUP));
    private static final RaftPeer LEADER = RaftPeer.newBuilder().setId("n2").setAddress("127.0.0.1:2").build();

    private final RatisReplies replies = new RatisReplies(GROUP, SELF);

    @Test
    void aSuccessfulReplyIsNoFailure() {
        RaftClientReply reply = reply().setSuccess().setMessage(Message.valueOf("ok")).build();
        assertEquals(Optional.empty(), replies.proposalFailure(reply, null, true));
        assertEquals(Optional.empty(), replies.adminFailure(reply, null, "change members"));
    }

    @Test
    void notLeaderBeforeTheAppendCarriesTheSuggestedLeader() {
        RaftClientReply reply = failed(new org.apache.ratis.protocol.exceptions.NotLeaderException(
                MEMBER, LEADER, List.of(LEADER)));
        NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class,
                replies.proposalFailure(reply, null, false).orElseThrow());
        assertEquals(GROUP, notLeader.group());
        assertEquals(Optional.of(new NodeId("n2")), notLeader.leaderHint());
    }

    @Test
    void notLeaderAfterTheAppendIsAmbiguous() {
        RaftClientReply reply = failed(new org.apache.ratis.protocol.exceptions.NotLeaderException(
                MEMBER, LEADER, List.of(LEADER)));
        assertInstanceOf(ReplicationException.class, replies.proposalFailure(reply, null, true).orElseThrow());
    }

    @Test
    void aLeaderNotReadyYetNamesItselfAsTheLeader() {
        RaftClientReply reply = failed(new LeaderNotReadyException(MEMBER));
        NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class,
                replies.proposalFailure(reply, null, false).orElseThrow());
        assertEquals(Optional.of(SELF), notLeader.leaderHint());
    }

    @Test
    void aClosedServerOrAMissingGroupIsNotLeaderWithoutHint() {
        for (Throwable error : List.of(new CompletionException(new GroupMismatchException("no such group")),
                new AlreadyClosedException("closed"))) {
            NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class,
                    replies.proposalFailure(null, error, false).orElseThrow());
            assertEquals(Optional.empty(), notLeader.leaderHint());
        }
    }

    @Test
    void otherFailuresAreAmbiguousAndKeepTheirCause() {
        ResourceUnavailableException full = new ResourceUnavailableException("too many pending requests");
        // Ratis fails the request's future with it (a reply cannot carry this exception).
        RuntimeException refused = replies.proposalFailure(null, new CompletionException(full), false).orElseThrow();
        assertInstanceOf(ReplicationException.class, refused);
        assertSame(full, refused.getCause());

        StateMachineException applyFailed = new StateMachineException(MEMBER, new IOException("disk"));
        assertInstanceOf(ReplicationException.class, replies.proposalFailure(failed(applyFailed), null, true).orElseThrow());
        assertInstanceOf(ReplicationException.class,
                replies.proposalFailure(null, new CompletionException(new IOException("reset")), true).orElseThrow());
    }

    @Test
    void anAdminRequestAtAFollowerIsNotLeaderAndOtherwiseFailsAsReplication() {
        RaftClientReply notLeader = failed(new org.apache.ratis.protocol.exceptions.NotLeaderException(
                MEMBER, LEADER, List.of(LEADER)));
        assertInstanceOf(NotLeaderException.class, replies.adminFailure(notLeader, null, "transfer").orElseThrow());
        RuntimeException other = replies.adminFailure(null, new ResourceUnavailableException("busy"),
                "transfer leadership").orElseThrow();
        assertInstanceOf(ReplicationException.class, other);
        assertEquals(GROUP + ": could not transfer leadership", other.getMessage());
    }

    private static RaftClientReply.Builder reply() {
        return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(MEMBER).setCallId(1);
    }

    private static RaftClientReply failed(RaftException exception) {
        return reply().setException(exception).build();
    }
}
