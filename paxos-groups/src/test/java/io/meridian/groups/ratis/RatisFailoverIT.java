package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.groups.NodeId;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.ReplicationException;
import io.meridian.storage.GroupId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows a group surviving the loss of replicas, on three real Ratis hosts: when the leader's host
 * closes another replica takes over within a few election timeouts and proposals continue; a
 * host closed and reopened on its directories reopens its groups by itself and catches up;
 * leadership moves to a chosen replica on request; and an error thrown by the group state machine
 * reaches the fatal-error handler and fails the proposal instead of leaving it waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RatisFailoverIT extends RatisClusterFixture {

    private static final GroupId GROUP = new GroupId(7);
    private static final Duration APPLY_WAIT = Duration.ofSeconds(15);

    @Test
    void whenTheLeadersHostClosesAnotherReplicaLeadsAndProposalsContinue() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId oldLeader = cluster.awaitLeader(GROUP);
        cluster.log(oldLeader, GROUP).propose(ByteString.copyFromUtf8("before")).get(10, TimeUnit.SECONDS);
        List<NodeId> survivors = cluster.nodes().stream().filter(node -> !node.equals(oldLeader)).toList();
        for (NodeId node : survivors) {
            Await.until(APPLY_WAIT, node + " applies the first command",
                    () -> cluster.machine(node, GROUP).commands().size() == 1);
        }

        long closedAtNanos = System.nanoTime();
        cluster.closeHost(oldLeader);
        NodeId newLeader = cluster.awaitLeader(GROUP);
        Duration failover = Duration.ofNanos(System.nanoTime() - closedAtNanos);
        assertTrue(survivors.contains(newLeader), "the new leader " + newLeader + " is a survivor");
        // Detection takes one to two election timeouts (0.5 to 1 s each by default), the election
        // a little more; the bound leaves room for a split vote or two on a loaded machine.
        assertTrue(failover.compareTo(Duration.ofSeconds(10)) < 0, "fail-over took " + failover);

        cluster.proposeAtLeader(GROUP, "after");
        for (NodeId node : survivors) {
            ListStateMachine machine = cluster.machine(node, GROUP);
            Await.until(APPLY_WAIT, node + " applies the command proposed after the fail-over",
                    () -> machine.commands().size() == 2);
            assertEquals(List.of("before", "after"), machine.commands());
            Await.until(APPLY_WAIT, node + " hears of the new leader", () -> machine.leaderEvents().stream()
                    .anyMatch(event -> event.leader().equals(Optional.of(newLeader))));
        }
        long oldTerm = cluster.machine(newLeader, GROUP).leaderEvents().stream()
                .filter(event -> event.leader().equals(Optional.of(oldLeader))).mapToLong(event -> event.term())
                .max().orElseThrow();
        long newTerm = cluster.machine(newLeader, GROUP).leaderEvents().stream()
                .filter(event -> event.leader().equals(Optional.of(newLeader))).mapToLong(event -> event.term())
                .max().orElseThrow();
        assertTrue(newTerm > oldTerm, "the new leader's term " + newTerm + " follows " + oldTerm);
    }

    @Test
    void aReopenedHostReopensItsGroupsAndCatchesUp() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        GroupId second = new GroupId(8);
        cluster.startGroup(GROUP, cluster.nodes());
        cluster.startGroup(second, cluster.nodes());
        List<String> proposed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            proposed.add("early-" + i);
            cluster.proposeAtLeader(GROUP, "early-" + i);
        }
        NodeId leader = cluster.awaitLeader(GROUP);
        NodeId restarted = cluster.nodes().stream().filter(node -> !node.equals(leader)).findFirst().orElseThrow();
        Await.until(APPLY_WAIT, restarted + " applies the early commands",
                () -> cluster.machine(restarted, GROUP).commands().size() == 10);

        cluster.closeHost(restarted);
        for (int i = 0; i < 10; i++) {
            proposed.add("late-" + i);
            cluster.proposeAtLeader(GROUP, "late-" + i);
        }
        cluster.reopenHost(restarted);

        // start() alone reopened both groups from disk, with state machines from the factory.
        assertEquals(Set.of(GROUP, second), cluster.host(restarted).groups());
        ListStateMachine machine = cluster.machine(restarted, GROUP);
        Await.until(APPLY_WAIT, restarted + " catches up after reopening", () -> machine.commands().size() >= 20);
        // Replayed entries at or below the state machine's applied index change nothing.
        assertEquals(proposed, machine.commands());
        assertEquals(cluster.machine(cluster.awaitLeader(GROUP), GROUP).indices(), machine.indices());
        assertEquals(cluster.replicas(cluster.nodes()), cluster.log(restarted, GROUP).members());
    }

    @Test
    void leadershipMovesToTheChosenReplica() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId leader = cluster.awaitLeader(GROUP);
        NodeId target = cluster.nodes().stream().filter(node -> !node.equals(leader)).findFirst().orElseThrow();

        cluster.log(leader, GROUP).transferLeadership(target, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);

        assertEquals(target, cluster.awaitLeader(GROUP));
        ByteString reply = cluster.log(target, GROUP).propose(ByteString.copyFromUtf8("at-new-leader"))
                .get(10, TimeUnit.SECONDS);
        assertTrue(reply.toStringUtf8().endsWith(": at-new-leader"), reply.toStringUtf8());
        Await.until(APPLY_WAIT, "the old leader hears of the new one", () -> cluster.machine(leader, GROUP)
                .leaderEvents().stream().anyMatch(event -> event.leader().equals(Optional.of(target))));
        // The old leader saw itself step down ("no leader") before hearing of the new one.
        List<ListStateMachine.LeaderEvent> events = cluster.machine(leader, GROUP).leaderEvents();
        int steppedDown = indexOf(events, Optional.empty());
        assertTrue(steppedDown >= 0 && steppedDown < indexOf(events, Optional.of(target)), events.toString());
    }

    @Test
    void anErrorInApplyReachesTheFatalErrorHandlerAndFailsTheProposal() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        cluster.startGroup(GROUP, cluster.nodes());
        NodeId leader = cluster.awaitLeader(GROUP);
        ReplicatedLog log = cluster.log(leader, GROUP);
        log.propose(ByteString.copyFromUtf8("fine")).get(10, TimeUnit.SECONDS);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> log.propose(ListStateMachine.POISON).get(20, TimeUnit.SECONDS));
        assertInstanceOf(ReplicationException.class, failure.getCause());

        List<RatisTestCluster.FatalError> fatal = new ArrayList<>();
        Await.until(APPLY_WAIT, "every replica reports the error", () -> {
            fatal.addAll(cluster.takeFatalErrors());
            return fatal.stream().map(RatisTestCluster.FatalError::node).distinct().count() == 3;
        });
        for (RatisTestCluster.FatalError error : fatal) {
            assertInstanceOf(ListStateMachine.PoisonError.class, error.cause());
            assertTrue(error.what().contains(GROUP.toString()), error.what());
        }
        // The failed replica applies nothing more, so it cannot diverge while the node stops.
        ExecutionException after = assertThrows(ExecutionException.class,
                () -> log.propose(ByteString.copyFromUtf8("after-poison")).get(20, TimeUnit.SECONDS));
        assertInstanceOf(ReplicationException.class, after.getCause());
        assertEquals(List.of("fine"), cluster.machine(leader, GROUP).commands());
    }

    private static int indexOf(List<ListStateMachine.LeaderEvent> events, Optional<NodeId> leader) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).leader().equals(leader)) {
                return i;
            }
        }
        return -1;
    }
}
