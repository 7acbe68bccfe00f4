package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.GROUP;
import static io.meridian.groups.SimGroupCluster.range;
import static io.meridian.groups.TestCommands.init;
import static io.meridian.groups.TestCommands.keyRange;
import static io.meridian.groups.TestCommands.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.DirectoryUpdate;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.storage.lmdb.LmdbMvccStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows the meta group's commands as the state machine applies them: the first bootstrap wins
 * and nothing else applies before it; nodes and groups are upserted; directory updates keep
 * the higher generation and delete removed ranges; group ids are allocated once each; and a
 * data group refuses meta commands. The meta state survives a reopen.
 */
class MetaCommandsTest {

    @TempDir
    Path dir;

    private LmdbMvccStore store;
    private RangeStateMachine machine;
    private long nextIndex;

    @BeforeEach
    void open() {
        store = TestStores.open(dir, "meta");
        machine = new RangeStateMachine(GROUP, store);
        apply(init(GROUP, true));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theFirstBootstrapWinsAndNothingElseAppliesBeforeIt() {
        assertRejected(apply(MetaCommand.newBuilder().setAllocateGroupId(true).build()));
        assertTrue(apply(bootstrap("first", 0, group(7))).hasApplied());
        assertTrue(apply(bootstrap("second", 100)).hasApplied());
        MetaState meta = machine.state().metaState().orElseThrow();
        assertEquals("first", meta.getClusterName());
        assertEquals(8, meta.getNextGroupId(), "ids above every bootstrapped group");
    }

    @Test
    void nodesAndGroupsAreUpsertedById() {
        apply(bootstrap("c", 1));
        apply(MetaCommand.newBuilder().setUpsertNode(node("n2", "a2")).build());
        apply(MetaCommand.newBuilder().setUpsertNode(node("n1", "a1")).build());
        apply(MetaCommand.newBuilder().setUpsertNode(node("n2", "a2-moved")).build());
        apply(MetaCommand.newBuilder().setUpsertGroup(group(5, "n1")).build());
        apply(MetaCommand.newBuilder().setUpsertGroup(group(5, "n1", "n2")).build());
        MetaState meta = machine.state().metaState().orElseThrow();
        assertEquals(List.of(node("n1", "a1"), node("n2", "a2-moved")), meta.getNodesList());
        assertEquals(List.of(group(5, "n1", "n2")), meta.getGroupsList());
        assertEquals(6, meta.getNextGroupId(), "an upserted group's id is never allocated again");
    }

    @Test
    void directoryUpdatesKeepTheHigherGenerationAndDeleteRemovedRanges() {
        apply(bootstrap("c", 1));
        apply(directory(List.of(entry(10, "m", "", 2, 4), entry(11, "", "m", 1, 4)), List.of()));
        apply(directory(List.of(entry(10, "m", "", 9, 3), entry(11, "", "f", 1, 5)), List.of()));
        assertEquals(List.of(entry(11, "", "f", 1, 5), entry(10, "m", "", 2, 4)),
                machine.state().metaState().orElseThrow().getDirectoryList(), "stale generation ignored, equal or newer kept");
        apply(directory(List.of(entry(12, "f", "m", 1, 5)), List.of(10L)));
        assertEquals(List.of(entry(11, "", "f", 1, 5), entry(12, "f", "m", 1, 5)),
                machine.state().metaState().orElseThrow().getDirectoryList());
    }

    @Test
    void groupIdsAreAllocatedOnceEach() {
        apply(bootstrap("c", 3));
        MetaCommand allocate = MetaCommand.newBuilder().setAllocateGroupId(true).build();
        assertEquals(3, apply(allocate).getApplied().getTsMicros());
        assertEquals(4, apply(allocate).getApplied().getTsMicros());
        store.close();
        store = TestStores.open(dir, "meta");
        machine = new RangeStateMachine(GROUP, store);
        assertEquals(5, apply(allocate).getApplied().getTsMicros(), "the counter survives a reopen");
    }

    @Test
    void aDataGroupRefusesMetaCommands() {
        store.close();
        store = TestStores.open(dir, "data");
        machine = new RangeStateMachine(GROUP, store);
        nextIndex = 0;
        apply(init(GROUP, false, range(1, "a", "b")));
        assertRejected(apply(bootstrap("c", 1)));
    }

    private static MetaCommand bootstrap(String cluster, long nextGroupId, GroupRecord... groups) {
        return MetaCommand.newBuilder().setBootstrap(MetaState.newBuilder().setClusterName(cluster)
                .setNextGroupId(nextGroupId).addAllGroups(List.of(groups))).build();
    }

    private static MetaCommand directory(List<DirectoryEntry> entries, List<Long> removed) {
        return MetaCommand.newBuilder().setDirectoryUpdate(DirectoryUpdate.newBuilder().addAllEntries(entries)
                .addAllRemovedRangeIds(removed)).build();
    }

    private static DirectoryEntry entry(long rangeId, String start, String end, long groupId, long generation) {
        return DirectoryEntry.newBuilder().setRangeId(rangeId).setSpan(keyRange(start, end)).setGroupId(groupId)
                .setGeneration(generation).build();
    }

    private static NodeRecord node(String id, String address) {
        return NodeRecord.newBuilder().setNodeId(id).setAddress(address).build();
    }

    private static GroupRecord group(long id, String... replicas) {
        return GroupRecord.newBuilder().setGroupId(id).addAllReplicaNodeIds(List.of(replicas)).build();
    }

    private CommandReply apply(MetaCommand command) {
        return apply(TestCommands.meta(command));
    }

    private CommandReply apply(com.google.protobuf.ByteString command) {
        return reply(machine.apply(nextIndex++, 1, command));
    }

    private static void assertRejected(CommandReply reply) {
        assertTrue(reply.hasRejected(), reply.toString());
        assertEquals(RejectReason.REJECT_REASON_INVALID, reply.getRejected().getReason());
    }
}
