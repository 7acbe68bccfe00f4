package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.storage.GroupId;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows membership changes on real Ratis hosts whose replicas snapshot every 20 entries and purge
 * their logs behind the snapshot: a fourth member added with {@code changeMembers} catches up by
 * installing the leader's snapshot (the log it would need is gone) and then follows the log; a
 * member removed with {@code changeMembers} no longer counts towards the majority, and stopping
 * its replica deletes its directory; a member reopened next to its own snapshots catches up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RatisMembershipIT extends RatisClusterFixture {

    private static final GroupId GROUP = new GroupId(3);
    private static final Duration APPLY_WAIT = Duration.ofSeconds(20);
    private static final int SNAPSHOT_THRESHOLD_ENTRIES = 20;

    @Test
    void aNewMemberCatchesUpFromASnapshotAndARemovedMemberNoLongerCounts() throws Exception {
        cluster = RatisTestCluster.start(directory, 3,
                options -> options.withSnapshots(SNAPSHOT_THRESHOLD_ENTRIES, 0).withLogSegmentSizeBytes(1024));
        List<NodeId> original = cluster.nodes();
        cluster.startGroup(GROUP, original);
        List<String> proposed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            proposed.add("before-join-" + i);
            cluster.proposeAtLeader(GROUP, "before-join-" + i);
        }
        // Every replica snapshotted and dropped the start of its log, so whoever leads cannot
        // send a new member the log from its beginning.
        for (NodeId node : original) {
            RatisReplicatedLog log = (RatisReplicatedLog) cluster.log(node, GROUP);
            Await.until(APPLY_WAIT, node + " purges its log", () -> log.logStartIndex() > 50);
            assertTrue(cluster.machine(node, GROUP).snapshotsWritten() > 0);
        }

        NodeId joining = cluster.addNode();
        List<NodeId> four = cluster.nodes();
        cluster.host(joining).startGroup(GROUP, cluster.replicas(four));
        cluster.changeMembersAtLeader(GROUP, four);
        assertEquals(cluster.replicas(four), cluster.log(cluster.awaitLeader(GROUP), GROUP).members());

        ListStateMachine joined = cluster.machine(joining, GROUP);
        Await.until(APPLY_WAIT, joining + " catches up", () -> joined.commands().size() >= proposed.size());
        assertEquals(proposed, joined.commands());
        assertTrue(joined.snapshotsInstalled() >= 1, "the new member installed the leader's snapshot");
        proposed.add("with-four");
        cluster.proposeAtLeader(GROUP, "with-four");
        for (NodeId node : four) {
            ListStateMachine machine = cluster.machine(node, GROUP);
            Await.until(APPLY_WAIT, node + " applies the command proposed with four members",
                    () -> machine.commands().size() == proposed.size());
            assertEquals(proposed, machine.commands(), "commands at " + node);
        }

        NodeId leader = cluster.awaitLeader(GROUP);
        NodeId removed = original.stream().filter(node -> !node.equals(leader)).findFirst().orElseThrow();
        List<NodeId> three = four.stream().filter(node -> !node.equals(removed)).toList();
        cluster.changeMembersAtLeader(GROUP, three);
        NodeId newLeader = cluster.awaitLeader(GROUP);
        assertEquals(cluster.replicas(three), cluster.log(newLeader, GROUP).members());
        NodeId closedFollower = three.stream().filter(node -> !node.equals(newLeader)).findFirst().orElseThrow();

        cluster.host(removed).stopGroup(GROUP);
        assertEquals(java.util.Set.of(), cluster.host(removed).groups());
        assertFalse(Files.exists(cluster.raftDirectory(removed).resolve(RatisIds.raftGroupId(GROUP).getUuid().toString())),
                "the removed replica's directory is deleted");
        // With the removed member and one more gone, the two left are a majority of three; they
        // would not be of four.
        cluster.closeHost(closedFollower);
        proposed.add("after-removal");
        cluster.proposeAtLeader(GROUP, "after-removal");
        for (NodeId node : three) {
            if (!node.equals(closedFollower)) {
                ListStateMachine machine = cluster.machine(node, GROUP);
                Await.until(APPLY_WAIT, node + " applies the command proposed after the removal",
                        () -> machine.commands().size() == proposed.size());
                assertEquals(proposed, machine.commands(), "commands at " + node);
            }
        }

        // Reopened, the closed member starts from its own newest snapshot and state and catches up.
        cluster.reopenHost(closedFollower);
        ListStateMachine reopened = cluster.machine(closedFollower, GROUP);
        Await.until(APPLY_WAIT, closedFollower + " catches up after reopening",
                () -> reopened.commands().size() == proposed.size());
        assertEquals(proposed, reopened.commands());
    }

    /**
     * A leader asked to commit a configuration without itself hands leadership to a member that
     * stays and answers "not leader" naming it; repeated there, the change commits, and the
     * removed replica stops, all while proposals keep arriving (Ratis would otherwise close the
     * leader's division from its own commit path, where a concurrent proposal can block it).
     */
    @Test
    void aLeaderLeavingTheGroupHandsOverFirst() throws Exception {
        cluster = RatisTestCluster.start(directory, 3);
        List<NodeId> members = cluster.nodes();
        cluster.startGroup(GROUP, members);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger accepted = new AtomicInteger();
        Thread load = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000 && !stop.get(); i++) {
                try {
                    cluster.proposeAtLeader(GROUP, "load-" + i);
                    accepted.incrementAndGet();
                } catch (Exception e) {
                    // Leadership moves during the test; the load only has to keep arriving.
                }
            }
        });
        Await.until(APPLY_WAIT, "the load gets going", () -> accepted.get() >= 20);

        // Asked at the leader to drop the leader. (Right after the group started, leadership may
        // still move on its own under the load; the answer then names no leader: ask again.)
        NodeId leader = null;
        List<NodeId> staying = List.of();
        Optional<NodeId> hint = Optional.empty();
        for (int asked = 0; asked < 5 && hint.isEmpty(); asked++) {
            NodeId current = cluster.awaitLeader(GROUP);
            List<NodeId> others = members.stream().filter(node -> !node.equals(current)).toList();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> cluster.log(current, GROUP).changeMembers(cluster.replicas(others)).get(10, TimeUnit.SECONDS));
            hint = assertInstanceOf(NotLeaderException.class, refused.getCause()).leaderHint();
            leader = current;
            staying = others;
        }
        assertTrue(hint.isPresent() && staying.contains(hint.get()), "the hint names a member that stays: " + hint);

        cluster.changeMembersAtLeader(GROUP, staying);
        NodeId newLeader = cluster.awaitLeader(GROUP);
        assertTrue(staying.contains(newLeader), newLeader + " leads");
        assertEquals(cluster.replicas(staying), cluster.log(newLeader, GROUP).members());
        cluster.host(leader).stopGroup(GROUP);
        assertEquals(java.util.Set.of(), cluster.host(leader).groups());

        int before = accepted.get();
        Await.until(APPLY_WAIT, "proposals go on after the change", () -> accepted.get() >= before + 20);
        stop.set(true);
        load.join(APPLY_WAIT.toMillis());
        assertFalse(load.isAlive(), "the load stops");
    }
}
