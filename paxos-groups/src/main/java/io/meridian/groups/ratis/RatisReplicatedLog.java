package io.meridian.groups.ratis;

import com.google.protobuf.ByteString;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.Replica;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.ReplicationException;
import io.meridian.storage.GroupId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * One group's replicated log at this node, backed by the node's Ratis division of the group.
 * Created by {@link RatisReplicationHost}; valid until the host stops the group or closes.
 *
 * <p><b>Proposals go to the local division</b>, never over the network: {@link #propose} builds
 * a Ratis write request with the host's client id and submits it to the local server, which
 * refuses it unless this replica leads the group.
 *
 * <p><b>Ordering.</b> In Ratis 3.3.0, {@code RaftServer.submitClientRequestAsync} for a running
 * division runs the request on the division's client pool and waits for that step, and the step
 * ({@code RaftServerImpl.appendTransaction}) appends the entry to the leader's log under the
 * division's lock before it returns the future of the reply. So {@link #propose} returns only
 * after its command has its log index (or was refused), and commands one thread proposes one
 * after another enter the log in that order. The log is created only once its division has
 * started, so no proposal waits for a division to open (which would let Ratis run queued
 * submissions in another order). {@code RatisReplicationIT} checks the guarantee with 2,000
 * proposals made without waiting.
 *
 * <p>Thread-safe. Futures complete on Ratis threads (the group's apply thread for proposals).
 */
public final class RatisReplicatedLog implements ReplicatedLog {

    /** Where a leader handing over decides its next attempt: off Ratis' threads, a moment later. */
    private static final Executor HAND_OVER_RETRY = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

    private final GroupId group;
    private final NodeId self;
    private final RaftGroupId raftGroupId;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final RatisStateMachine stateMachine;
    private final RatisRequests requests;
    private final RatisReplies replies;
    private final Duration requestTimeout;
    private final int commandSizeMaxBytes;

    RatisReplicatedLog(GroupId group, NodeId self, RaftServer server, RaftServer.Division division,
            RatisRequests requests, RatisOptions options) {
        this.group = Objects.requireNonNull(group, "group");
        this.self = Objects.requireNonNull(self, "self");
        this.raftGroupId = RatisIds.raftGroupId(group);
        this.server = server;
        this.division = division;
        this.stateMachine = (RatisStateMachine) division.getStateMachine();
        this.requests = requests;
        this.replies = new RatisReplies(group, self);
        this.requestTimeout = options.requestTimeout();
        this.commandSizeMaxBytes = options.commandSizeMaxBytes();
    }

    @Override
    public GroupId group() {
        return group;
    }

    @Override
    public NodeId self() {
        return self;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the command is in this leader's log (or refused): usually microseconds,
     * longer when Ratis' pending-request queue is full. Completes with the reply of this
     * replica's {@code apply}, or fails with {@link NotLeaderException} (never appended; the hint
     * is this replica itself when it was just elected and is not ready yet),
     * {@link ReplicationException} (ambiguous, including when the request timeout passes), or
     * {@link IllegalArgumentException} for a command over {@link RatisOptions#commandSizeMaxBytes}
     * (never appended).
     */
    @Override
    public CompletableFuture<ByteString> propose(ByteString command) {
        if (command.size() > commandSizeMaxBytes) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(group + ": a command of "
                    + command.size() + " bytes exceeds the limit of " + commandSizeMaxBytes + " bytes"));
        }
        long callId = requests.nextCallId();
        RaftClientRequest request = requests.write(raftGroupId, callId, RatisIds.toRatis(command));
        CompletableFuture<RaftClientReply> replied;
        try {
            replied = server.submitClientRequestAsync(request);
        } catch (IOException | RuntimeException refused) {
            replied = CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<ByteString> result = new CompletableFuture<>();
        replied.whenComplete((reply, error) -> {
            boolean appended = stateMachine.forgetProposal(callId);
            replies.proposalFailure(reply, error, appended).ifPresentOrElse(result::completeExceptionally,
                    () -> result.complete(reply.getMessage() == null ? ByteString.EMPTY
                            : RatisIds.wrapFromRatis(reply.getMessage().getContent())));
        });
        return result.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            Throwable cause = RatisReplies.unwrap(error);
            if (cause instanceof TimeoutException) {
                stateMachine.forgetProposal(callId);
                return CompletableFuture.failedFuture(new ReplicationException(group + ": no reply to a proposal within "
                        + requestTimeout + "; its outcome is unknown", cause));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    @Override
    public Optional<NodeId> leader() {
        return Optional.ofNullable(division.getInfo().getLeaderId()).map(RatisIds::nodeId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>True once this replica leads the group and has committed an entry of its term, so that
     * proposals are accepted; for a moment after an election {@link #leader()} may already name
     * this node while this is still false.
     */
    @Override
    public boolean isLeader() {
        DivisionInfo info = division.getInfo();
        return info.isLeader() && info.isLeaderReady();
    }

    /** The voting members of the configuration this replica knows, ordered by node id. */
    @Override
    public List<Replica> members() {
        return RatisIds.replicas(division.getRaftConf().getCurrentPeers());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each new member must run {@link RatisReplicationHost#startGroup} first. Completes once
     * the new configuration is committed. Fails with {@link NotLeaderException} at a follower, and
     * also when leadership is lost during the change (retrying at the new leader is safe, since
     * the request names the whole configuration), otherwise with {@link ReplicationException}.
     * A leader asked to leave the group hands leadership to a member that stays and fails with
     * {@link NotLeaderException} naming it (see {@link #handOverBeforeLeaving}).
     */
    @Override
    public CompletableFuture<Void> changeMembers(List<Replica> members) {
        if (!division.getInfo().isLeader()) {
            return CompletableFuture.failedFuture(replies.notLeader(leader()));
        }
        if (members.stream().noneMatch(member -> member.node().equals(self))) {
            return handOverBeforeLeaving(members);
        }
        return admin(() -> server.setConfigurationAsync(
                requests.setConfiguration(raftGroupId, RatisIds.peers(members))), "change members to " + members);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes when {@code target} has become the leader. Fails with
     * {@link NotLeaderException} when this replica is not the leader, otherwise with
     * {@link ReplicationException} (for example when {@code target} did not take over in time).
     */
    @Override
    public CompletableFuture<Void> transferLeadership(NodeId target, Duration timeout) {
        if (!division.getInfo().isLeader()) {
            return CompletableFuture.failedFuture(replies.notLeader(leader()));
        }
        return admin(() -> server.transferLeadershipAsync(
                requests.transferLeadership(raftGroupId, RatisIds.peerId(target), timeout)),
                "transfer leadership to " + target);
    }

    /**
     * A leader never commits a configuration without itself: Ratis then closes the leader's
     * division from inside its own commit path, and a proposal submitted at that moment blocks
     * that close for a day (the division's client executor waits for the monitor the close
     * holds). Instead leadership goes first to a member that stays, and the change fails with
     * {@link NotLeaderException} naming it, so the caller repeats it there.
     */
    private CompletableFuture<Void> handOverBeforeLeaving(List<Replica> members) {
        Set<NodeId> current = members().stream().map(Replica::node).collect(Collectors.toSet());
        List<NodeId> heirs = members.stream().map(Replica::node).filter(current::contains).toList();
        if (heirs.isEmpty()) {
            return CompletableFuture.failedFuture(new ReplicationException(group + ": the new members " + members
                    + " share no member with the current configuration, so no one can take over the leadership", null));
        }
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        handOver(heirs, 0, handedOver);
        return handedOver;
    }

    /**
     * Transfers leadership to {@code heirs[next]}, or, if that fails while this replica still
     * leads (an heir still catching up under load may lose the election it was asked to hold),
     * to the following heir, twice round at most; {@code result} fails with
     * {@link NotLeaderException} naming whoever leads once this replica does not.
     */
    private void handOver(List<NodeId> heirs, int next, CompletableFuture<Void> result) {
        NodeId heir = heirs.get(next % heirs.size());
        // Decided off the thread that completes the transfer: that may be a Ratis election thread,
        // and starting the next transfer blocks its caller until Ratis has taken the request.
        transferLeadership(heir, requestTimeout).whenCompleteAsync((done, failure) -> {
            // Leadership may also have moved elsewhere meanwhile: the change then belongs there.
            Optional<NodeId> leader = failure == null ? Optional.of(heir) : leader().filter(node -> !node.equals(self));
            if (leader.isPresent()) {
                result.completeExceptionally(replies.notLeader(leader));
            } else if (next + 1 < 2 * heirs.size() && division.getInfo().isLeader()) {
                handOver(heirs, next + 1, result);
            } else {
                result.completeExceptionally(failure);
            }
        }, HAND_OVER_RETRY);
    }

    /** The index of the first entry still in this replica's log (for tests of log purging). */
    long logStartIndex() {
        return division.getRaftLog().getStartIndex();
    }

    @FunctionalInterface
    private interface AdminCall {
        CompletableFuture<RaftClientReply> submit() throws IOException;
    }

    private CompletableFuture<Void> admin(AdminCall call, String what) {
        CompletableFuture<RaftClientReply> replied;
        try {
            replied = call.submit();
        } catch (IOException | RuntimeException refused) {
            replied = CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        replied.whenComplete((reply, error) -> replies.adminFailure(reply, error, what)
                .ifPresentOrElse(result::completeExceptionally, () -> result.complete(null)));
        return result;
    }

    @Override
    public String toString() {
        return "RatisReplicatedLog[" + group + " at " + self + "]";
    }
}
