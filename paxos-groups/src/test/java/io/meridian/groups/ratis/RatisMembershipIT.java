package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import io.meridian.storage.GroupId;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
}
