package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.truetime.sim.SimScheduler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A deterministic in-memory replicated log for one group: the {@link ReplicatedLog} seam with
 * Raft's observable behaviour and none of its machinery. One shared list of entries; the leader
 * appends, and each entry commits {@code replicationDelayMicros} later (a {@link SimScheduler}
 * task), after which every member that is not paused applies it, in index order, to its own
 * state machine. A proposal completes with the proposer's own reply.
 *
 * <p>Tests control leadership ({@link #elect}, telling all or only some members, as a partition
 * would), pause and resume members (a lagging follower), drop uncommitted entries (a leader
 * change that loses them), restart members with a new state machine and ship snapshots. Every
 * reply is compared across members: replicas that disagree fail the test at once.
 *
 * <p>Not thread-safe: the simulation's one thread drives it.
 */
public final class SimGroupLog {

    /** One log entry. */
    public record Entry(long index, long term, ByteString command, NodeId proposer, CompletableFuture<ByteString> reply) {
    }

    private final GroupId group;
    private final SimScheduler scheduler;
    private final long replicationDelayMicros;
    private final Map<NodeId, Member> members = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Long, ByteString> replies = new HashMap<>();
    private long commitIndex = -1;
    private long term;
    private Optional<NodeId> leader = Optional.empty();

    public SimGroupLog(GroupId group, SimScheduler scheduler, Duration replicationDelay) {
        this.group = group;
        this.scheduler = scheduler;
        this.replicationDelayMicros = replicationDelay.toNanos() / 1000;
    }

    /** Adds a member applying to {@code stateMachine}, which resumes after its applied index. */
    public Member join(NodeId node, GroupStateMachine stateMachine) {
        Member member = new Member(node, stateMachine);
        members.put(node, member);
        return member;
    }

    /** Gives a restarted member its new state machine; it replays from its applied index. */
    public void restart(NodeId node, GroupStateMachine stateMachine) {
        Member member = members.get(node);
        member.stateMachine = stateMachine;
        member.nextIndex = stateMachine.appliedIndex() + 1;
        deliver();
    }

    /** Makes {@code node} leader of a new term and tells every member. */
    public void elect(NodeId node) {
        elect(node, members.keySet());
    }

    /** Makes {@code node} leader of a new term, telling only {@code told} (the rest are cut off). */
    public void elect(NodeId node, Set<NodeId> told) {
        term++;
        leader = Optional.of(node);
        for (NodeId member : told) {
            members.get(member).stateMachine.leaderChanged(leader, term);
        }
    }

    /** Tells {@code node} the current leader (a partition healing). */
    public void tell(NodeId node) {
        members.get(node).stateMachine.leaderChanged(leader, term);
    }

    /** The current leader, if any. */
    public Optional<NodeId> leader() {
        return leader;
    }

    /** The current term. */
    public long term() {
        return term;
    }

    /** Stops {@code node} applying (a lagging or partitioned follower). */
    public void pause(NodeId node) {
        members.get(node).paused = true;
    }

    /** Lets {@code node} catch up. */
    public void resume(NodeId node) {
        members.get(node).paused = false;
        deliver();
    }

    /** Drops every entry not yet committed; their proposals fail with an unknown outcome. */
    public void dropUncommitted() {
        while (entries.size() - 1 > commitIndex) {
            Entry dropped = entries.remove(entries.size() - 1);
            dropped.reply().completeExceptionally(new ReplicationException("entry " + dropped.index() + " lost", null));
        }
    }

    /** Ships {@code from}'s snapshot to {@code to}, which then resumes after it. */
    void installSnapshot(NodeId from, NodeId to) {
        Member source = members.get(from);
        Member target = members.get(to);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            source.stateMachine.writeSnapshot(out);
            target.stateMachine.installSnapshot(new ByteArrayInputStream(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long resume = target.stateMachine.appliedIndex() + 1;
        for (long index = target.nextIndex; index < resume && index < entries.size(); index++) {
            Entry skipped = entries.get((int) index);
            if (skipped.proposer().equals(to)) {
                skipped.reply().complete(ByteString.EMPTY);
            }
        }
        target.nextIndex = resume;
        deliver();
    }

    /** Every entry, in index order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The reply the members gave for {@code index}, once one has applied it. */
    public Optional<ByteString> reply(long index) {
        return Optional.ofNullable(replies.get(index));
    }

    private void commit(Entry entry) {
        if (entry.index() < entries.size() && entries.get((int) entry.index()) == entry) {
            commitIndex = Math.max(commitIndex, entry.index());
            deliver();
        }
    }

    private void deliver() {
        for (Member member : members.values()) {
            while (!member.paused && member.nextIndex <= commitIndex) {
                Entry entry = entries.get((int) member.nextIndex);
                ByteString reply = member.stateMachine.apply(entry.index(), entry.term(), entry.command());
                ByteString earlier = replies.putIfAbsent(entry.index(), reply);
                if (earlier != null && !earlier.equals(reply)) {
                    throw new AssertionError("replicas disagree at index " + entry.index() + ": " + member.node
                            + " replied differently");
                }
                member.nextIndex++;
                if (entry.proposer().equals(member.node)) {
                    entry.reply().complete(reply);
                }
            }
        }
    }

    /** One member's view of the log. */
    public final class Member implements ReplicatedLog {
        private final NodeId node;
        private GroupStateMachine stateMachine;
        private long nextIndex;
        private boolean paused;

        Member(NodeId node, GroupStateMachine stateMachine) {
            this.node = node;
            this.stateMachine = stateMachine;
            this.nextIndex = stateMachine.appliedIndex() + 1;
        }

        @Override
        public GroupId group() {
            return group;
        }

        @Override
        public NodeId self() {
            return node;
        }

        @Override
        public CompletableFuture<ByteString> propose(ByteString command) {
            if (!isLeader()) {
                return CompletableFuture.failedFuture(new NotLeaderException(group, leader));
            }
            Entry entry = new Entry(entries.size(), term, command, node, new CompletableFuture<>());
            entries.add(entry);
            scheduler.schedule(() -> commit(entry), replicationDelayMicros);
            return entry.reply();
        }

        @Override
        public Optional<NodeId> leader() {
            return leader;
        }

        @Override
        public boolean isLeader() {
            return leader.isPresent() && leader.get().equals(node);
        }

        @Override
        public List<Replica> members() {
            return members.keySet().stream().map(id -> new Replica(id, id.value() + ":0")).toList();
        }

        @Override
        public CompletableFuture<Void> changeMembers(List<Replica> newMembers) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("fixed membership"));
        }

        @Override
        public CompletableFuture<Void> transferLeadership(NodeId target, Duration timeout) {
            elect(target);
            return CompletableFuture.completedFuture(null);
        }
    }
}
