package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicatedLog;
import io.meridian.storage.GroupId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows replication on three real Ratis hosts in one JVM: proposals at the leader commit and are
 * applied in the same order on every replica and the proposer receives the leader's reply; one
 * thread's proposals, made without waiting, enter the log in the order made; a proposal at a
 * follower fails with {@link NotLeaderException} naming the leader and is not applied; several
 * groups share the hosts independently, and stopping one removes its replica and directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RatisReplicationIT extends RatisClusterFixture {

    private static final GroupId GROUP = new GroupId(1);
    private static final Duration APPLY_WAIT = Duration.ofSeconds(15);

    @Test
    void proposalsCommitInTheSameOrderOnEveryReplicaAndTheProposerGetsTheReply() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId leader = cluster.awaitLeader(GROUP);
        ReplicatedLog log = cluster.log(leader, GROUP);

        List<String> proposed = new ArrayList<>();
        long previousIndex = 0;
        for (int i = 0; i < 20; i++) {
            String command = "command-" + i;
            proposed.add(command);
            String reply = log.propose(ByteString.copyFromUtf8(command)).get(10, TimeUnit.SECONDS).toStringUtf8();
            // The reply is what the leader's state machine returned: its log index and the command.
            assertTrue(reply.endsWith(": " + command), reply);
            long index = Long.parseLong(reply.substring("applied ".length(), reply.indexOf(':')));
            assertTrue(index > previousIndex, "indices increase: " + index + " after " + previousIndex);
            previousIndex = index;
        }
        for (NodeId node : cluster.nodes()) {
            ListStateMachine machine = cluster.machine(node, GROUP);
            Await.until(APPLY_WAIT, node + " applies all 20 commands", () -> machine.commands().size() == 20);
            assertEquals(proposed, machine.commands(), "commands applied at " + node);
        }
        assertEquals(cluster.machine(leader, GROUP).indices(), cluster.machine(otherThan(leader), GROUP).indices());
        assertEquals(cluster.replicas(cluster.nodes()), log.members());
        for (NodeId node : cluster.nodes()) {
            assertEquals(Optional.of(leader), cluster.log(node, GROUP).leader(), "leader as " + node + " knows it");
        }
    }

    @Test
    void oneThreadsProposalsMadeWithoutWaitingEnterTheLogInTheOrderMade() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId leader = cluster.awaitLeader(GROUP);
        ReplicatedLog log = cluster.log(leader, GROUP);

        int count = 2_000;
        List<String> proposed = IntStream.range(0, count).mapToObj(i -> "ordered-" + i).toList();
        List<CompletableFuture<ByteString>> replies = new ArrayList<>();
        for (String command : proposed) {
            replies.add(log.propose(ByteString.copyFromUtf8(command)));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long previousIndex = 0;
        for (int i = 0; i < count; i++) {
            String reply = replies.get(i).join().toStringUtf8();
            long index = Long.parseLong(reply.substring("applied ".length(), reply.indexOf(':')));
            assertTrue(index > previousIndex, "proposal " + i + " got index " + index + " after " + previousIndex);
            previousIndex = index;
        }
        for (NodeId node : cluster.nodes()) {
            ListStateMachine machine = cluster.machine(node, GROUP);
            Await.until(APPLY_WAIT, node + " applies every command", () -> machine.commands().size() == count);
            assertEquals(proposed, machine.commands(), "apply order at " + node);
        }
    }

    @Test
    void aProposalAtAFollowerFailsWithTheLeaderAsHintAndIsNotApplied() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId leader = cluster.awaitLeader(GROUP);
        NodeId follower = otherThan(leader);
        ReplicatedLog followerLog = cluster.log(follower, GROUP);
        // The follower learns who leads once the leader's first entry reaches it.
        Await.until(APPLY_WAIT, follower + " knows the leader", () -> followerLog.leader().equals(Optional.of(leader)));

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> followerLog.propose(ByteString.copyFromUtf8("at-follower")).get(10, TimeUnit.SECONDS));
        NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class, failure.getCause());
        assertEquals(GROUP, notLeader.group());
        assertEquals(Optional.of(leader), notLeader.leaderHint());
        assertFalse(followerLog.isLeader());

        ExecutionException membersFailure = assertThrows(ExecutionException.class,
                () -> followerLog.changeMembers(cluster.replicas(cluster.nodes())).get(10, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderException.class, membersFailure.getCause());

        // A later proposal at the leader is applied everywhere; the refused one nowhere.
        cluster.log(leader, GROUP).propose(ByteString.copyFromUtf8("at-leader")).get(10, TimeUnit.SECONDS);
        for (NodeId node : cluster.nodes()) {
            ListStateMachine machine = cluster.machine(node, GROUP);
            Await.until(APPLY_WAIT, node + " applies the leader's command", () -> machine.commands().contains("at-leader"));
            assertEquals(List.of("at-leader"), machine.commands(), "commands at " + node);
        }
    }

    @Test
    void severalGroupsShareTheHostsIndependently() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        List<GroupId> groups = List.of(new GroupId(10), new GroupId(11), new GroupId(12), new GroupId(-13));
        for (GroupId group : groups) {
            cluster.startGroup(group, cluster.nodes());
        }
        // startGroup is idempotent: a second call returns the running replica.
        assertTrue(cluster.host(new NodeId("n1")).startGroup(groups.getFirst(), cluster.replicas(cluster.nodes()))
                == cluster.log(new NodeId("n1"), groups.getFirst()));
        for (NodeId node : cluster.nodes()) {
            assertEquals(java.util.Set.copyOf(groups), cluster.host(node).groups());
        }
        for (GroupId group : groups) {
            cluster.proposeAtLeader(group, "for-" + group);
        }
        for (GroupId group : groups) {
            for (NodeId node : cluster.nodes()) {
                ListStateMachine machine = cluster.machine(node, group);
                Await.until(APPLY_WAIT, node + " applies the command of " + group, () -> !machine.commands().isEmpty());
                assertEquals(List.of("for-" + group), machine.commands(), group + " at " + node);
            }
        }

        GroupId stopped = groups.get(1);
        Path stoppedDirectory = cluster.raftDirectory(new NodeId("n1")).resolve(
                RatisIds.raftGroupId(stopped).getUuid().toString());
        assertTrue(Files.isDirectory(stoppedDirectory), "the replica's directory exists: " + stoppedDirectory);
        for (NodeId node : cluster.nodes()) {
            cluster.host(node).stopGroup(stopped);
            cluster.host(node).stopGroup(stopped);
            assertEquals(Optional.empty(), cluster.host(node).log(stopped));
            assertFalse(cluster.host(node).groups().contains(stopped));
        }
        assertFalse(Files.exists(stoppedDirectory), "stopGroup deletes the replica's directory");

        GroupId remaining = groups.get(2);
        cluster.proposeAtLeader(remaining, "after-stop");
        assertEquals(List.of("for-" + remaining, "after-stop"),
                cluster.machine(cluster.awaitLeader(remaining), remaining).commands());
    }

    private NodeId otherThan(NodeId node) {
        return cluster.nodes().stream().filter(other -> !other.equals(node)).findFirst().orElseThrow();
    }
}
