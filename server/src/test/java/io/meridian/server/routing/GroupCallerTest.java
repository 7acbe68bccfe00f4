package io.meridian.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Deadline;
import io.grpc.Status;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.v1.KeyRange;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.NodeUnreachableException;
import io.meridian.storage.GroupId;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shows where a gateway sends a group operation and what it retries: a {@code NotLeader} answer
 * goes to the hinted leader, an unavailable lease is retried at the same node, an unreachable
 * node is skipped for a read, and a commit whose request may have reached a node that then
 * failed is never retried anywhere (the outcome is ambiguous), unless the connection was refused.
 */
class GroupCallerTest {

    private static final NodeId SELF = new NodeId("n1");
    private static final GroupId GROUP = new GroupId(1);

    private final Map<String, ScriptedLink> nodes = Map.of("n1", new ScriptedLink("n1"), "n2", new ScriptedLink("n2"),
            "n3", new ScriptedLink("n3"));
    private final LeaderCache leaders = new LeaderCache();
    private final GroupCaller caller;

    GroupCallerTest() {
        MetaState meta = MetaState.newBuilder()
                .addNodes(NodeRecord.newBuilder().setNodeId("n1").setAddress("h1:1").setRegion("r").setZone("a"))
                .addNodes(NodeRecord.newBuilder().setNodeId("n2").setAddress("h2:1").setRegion("r").setZone("b"))
                .addNodes(NodeRecord.newBuilder().setNodeId("n3").setAddress("h3:1").setRegion("r").setZone("a"))
                .addGroups(GroupRecord.newBuilder().setGroupId(1).addReplicaNodeIds("n1").addReplicaNodeIds("n2")
                        .addReplicaNodeIds("n3"))
                .addGroups(GroupRecord.newBuilder().setGroupId(2).addReplicaNodeIds("n2").addReplicaNodeIds("n3"))
                .addDirectory(DirectoryEntry.newBuilder().setRangeId(1).setGroupId(1).setSpan(KeyRange.getDefaultInstance()))
                .build();
        NodeLinks links = new NodeLinks(SELF, "h1:1", (target, address) -> nodes.get(target));
        links.bindLocal(nodes.get("n1"));
        MetaCache cache = new MetaCache(SELF, () -> Optional.of(meta), links, List.of(), Duration.ofSeconds(1));
        caller = new GroupCaller(SELF, "a", "r", cache, leaders, links, group -> Optional.empty());
    }

    private static Deadline soon() {
        return Deadline.after(5, TimeUnit.SECONDS);
    }

    private long commit() {
        return caller.atLeader(1, CallKind.COMMIT, soon(), (link, d) -> link.txn(
                TxnRequest.getDefaultInstance(), d)).getCommitted().getCommitTsMicros();
    }

    private void assertCalls(int n1, int n2, int n3) {
        assertEquals(List.of(n1, n2, n3), List.of(nodes.get("n1").calls, nodes.get("n2").calls, nodes.get("n3").calls));
    }

    private static NodeUnreachableException lost(Throwable cause) {
        return new NodeUnreachableException("n2", Status.UNAVAILABLE.withCause(cause).asRuntimeException());
    }

    @Test
    void aNotLeaderAnswerSendsTheCallToTheHintedLeaderWhichIsRemembered() {
        nodes.get("n1").failWith(new NotLeaderException(GROUP, Optional.of(new NodeId("n3"))));

        assertEquals(100, commit());
        assertCalls(1, 0, 1);
        assertEquals(Optional.of(new NodeId("n3")), leaders.leader(1));

        assertEquals(100, commit());
        assertCalls(1, 0, 2);
    }

    @Test
    void anUnavailableLeaseIsRetriedAtTheSameNode() {
        leaders.update(1, new NodeId("n2"));
        nodes.get("n2").failWith(new LeaseUnavailableException(GROUP, "waiting out the old lease"));

        assertEquals(100, commit());
        assertCalls(0, 2, 0);
    }

    @Test
    void aCommitThatMayHaveReachedAFailedNodeIsNeverRetried() {
        leaders.update(1, new NodeId("n2"));
        NodeUnreachableException reset = lost(new RuntimeException("connection reset"));
        nodes.get("n2").failWith(reset);

        NodeUnreachableException thrown = assertThrows(NodeUnreachableException.class, this::commit);
        assertEquals(reset, thrown);
        assertCalls(0, 1, 0);
    }

    @Test
    void aCommitWhoseConnectionWasRefusedGoesElsewhere() {
        leaders.update(1, new NodeId("n2"));
        nodes.get("n2").failWith(lost(new ConnectException("refused")));

        assertEquals(100, commit());
        assertCalls(1, 1, 0);
    }

    @Test
    void aReadSkipsAnUnreachableNode() {
        leaders.update(1, new NodeId("n2"));
        nodes.get("n2").failWith(lost(new RuntimeException("connection reset")));

        caller.atLeader(1, CallKind.READ, soon(), (link, d) -> link.groupRead(GroupReadRequest.getDefaultInstance(), d));
        assertCalls(1, 1, 0);
    }

    @Test
    void withNoLeaderAnywhereTheCallGivesUpWithNotLeader() {
        NotLeaderException none = new NotLeaderException(GROUP, Optional.empty());
        for (ScriptedLink link : nodes.values()) {
            for (int i = 0; i < GroupCaller.ATTEMPTS_MAX; i++) {
                link.failWith(none);
            }
        }

        assertThrows(NotLeaderException.class, this::commit);
        assertEquals(GroupCaller.ATTEMPTS_MAX, nodes.values().stream().mapToInt(l -> l.calls).sum());
    }

    @Test
    void aFollowerReadGoesToTheNearestReplicaFirst() {
        // Group 2 has no replica here; n3 shares this node's zone, n2 does not.
        caller.atNearest(2, soon(), (link, d) -> link.groupRead(GroupReadRequest.getDefaultInstance(), d));
        assertCalls(0, 0, 1);

        nodes.get("n3").failWith(new NotLeaderException(new GroupId(2), Optional.empty()));
        caller.atNearest(2, soon(), (link, d) -> link.groupRead(GroupReadRequest.getDefaultInstance(), d));
        assertCalls(0, 1, 2);
    }
}
