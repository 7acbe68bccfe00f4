package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.GROUP;
import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static io.meridian.groups.TestCommands.assertReject;
import static io.meridian.groups.TestCommands.delete;
import static io.meridian.groups.TestCommands.deleteRange;
import static io.meridian.groups.TestCommands.init;
import static io.meridian.groups.TestCommands.lease;
import static io.meridian.groups.TestCommands.put;
import static io.meridian.groups.TestCommands.reply;
import static io.meridian.groups.TestCommands.split;
import static io.meridian.groups.TestCommands.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.v1.Mutation;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.MvccStore;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.truetime.Timestamp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows what {@link RangeStateMachine} does with each command on one replica over a real LMDB
 * store: the first InitGroup wins; writes apply at their timestamp or are rejected (wrong
 * range, stale timestamp, store refusal) leaving nothing behind; leases record the holder, keep
 * ends monotonic per tenure and close timestamps; splits touch only metadata; replayed indices
 * change nothing; state survives a reopen; and a snapshot reproduces a replica on a fresh store.
 */
class RangeStateMachineTest {

    private static final RangeState LEFT = range(1, "b", "m");
    private static final RangeState RIGHT = range(2, "m", "t");

    @TempDir
    Path dir;

    private LmdbMvccStore store;
    private RangeStateMachine machine;
    private long nextIndex;

    @BeforeEach
    void open() {
        store = TestStores.open(dir, "main");
        machine = new RangeStateMachine(GROUP, store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theFirstInitGroupWinsAndLaterOnesAreIgnored() {
        assertTrue(apply(init(GROUP, false, RIGHT, LEFT)).hasApplied());
        CommandReply second = apply(init(GROUP, true, range(9, "", "")));
        assertTrue(second.hasApplied());
        assertEquals(List.of(LEFT, RIGHT), second.getApplied().getRangesList());
        assertEquals(List.of(LEFT, RIGHT), machine.state().ranges(), "ranges are kept sorted by start");
        assertFalse(machine.state().meta());
    }

    @Test
    void anInitGroupForAnotherGroupOrWithOverlappingRangesIsInvalid() {
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(init(new GroupId(99), false, LEFT)));
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(init(GROUP, false, LEFT, range(5, "c", "d"))));
        assertFalse(machine.state().initialized());
        assertTrue(apply(init(GROUP, false, LEFT)).hasApplied());
    }

    @Test
    void aWriteAppliesAtItsTimestampAndRaisesLastTs() {
        apply(init(GROUP, false, LEFT, RIGHT));
        CommandReply reply = apply(write(100, put("c", "1"), put("n", "2")));
        assertEquals(100, reply.getApplied().getTsMicros());
        assertEquals(new Timestamp(100), machine.state().lastTs());
        assertEquals(Optional.empty(), store.get(bytes("c"), new Timestamp(99)));
        assertEquals(bytes("1"), store.get(bytes("c"), new Timestamp(100)).orElseThrow().value());
        assertEquals(bytes("2"), store.get(bytes("n"), new Timestamp(100)).orElseThrow().value());
    }

    @Test
    void keysOutsideTheRangesAreWrongRangeAndChangeNothing() {
        apply(init(GROUP, false, LEFT, RIGHT));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, apply(write(100, put("c", "1"), put("a", "x"))));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, apply(write(101, delete("t"))));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, apply(write(102, deleteRange("a", "c"))));
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, apply(write(103, deleteRange("s", ""))));
        assertEquals(Optional.empty(), store.get(bytes("c"), Timestamp.MAX));
        assertEquals(Timestamp.MIN, machine.state().lastTs());
        assertEquals(nextIndex - 1, machine.appliedIndex(), "rejections still advance the applied index");
        // A delete_range may cross the boundary between two ranges of the group: their union holds it.
        assertTrue(apply(write(104, deleteRange("l", "n"))).hasApplied());
    }

    @Test
    void aTimestampNotAboveLastTsIsStale() {
        apply(init(GROUP, false, LEFT));
        apply(write(100, put("c", "1")));
        assertReject(RejectReason.REJECT_REASON_STALE_TIMESTAMP, apply(write(100, put("d", "1"))));
        assertReject(RejectReason.REJECT_REASON_STALE_TIMESTAMP, apply(write(50, put("d", "1"))));
        apply(lease("n1", 1, 10_000, 200));
        assertReject(RejectReason.REJECT_REASON_STALE_TIMESTAMP, apply(write(150, put("d", "1"))));
        assertTrue(apply(write(201, put("d", "1"))).hasApplied());
        assertEquals(Optional.empty(), store.get(bytes("d"), new Timestamp(200)));
    }

    @Test
    void aWriteTheStoreRefusesIsInvalidAndWritesNothing() {
        apply(init(GROUP, false, LEFT));
        String longKey = "c" + "x".repeat(480);
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(write(100, put(longKey, "v"))));
        List<Mutation> tooMany = IntStream.range(0, 10_001).mapToObj(i -> put("c" + i, "v")).toList();
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(write(101, tooMany)));
        // Another writer left a newer version of "c" in the store: timestamps per key must rise.
        store.apply(WriteBatch.builder(new GroupId(77), 0).commitTs(new Timestamp(5_000))
                .put(bytes("c"), bytes("other")).build());
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(write(200, put("d", "1"), put("c", "mine"))));
        assertEquals(Optional.empty(), store.get(bytes("d"), Timestamp.MAX));
        assertEquals(bytes("other"), store.get(bytes("c"), Timestamp.MAX).orElseThrow().value());
        assertEquals(Timestamp.MIN, machine.state().lastTs());
        assertEquals(nextIndex - 1, store.appliedIndex(GROUP));
    }

    @Test
    void aBatchOverTheByteLimitIsInvalidAndWritesNothing() {
        apply(init(GROUP, false, range(1, "", "")));
        String big = "v".repeat(1 << 20);
        List<Mutation> overBytes = IntStream.range(0, 33).mapToObj(i -> put("k" + i, big)).toList();
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(write(100, overBytes)));
        assertEquals(Optional.empty(), store.get(bytes("k0"), Timestamp.MAX));
    }

    @Test
    void leasesRecordTheHolderKeepEndsMonotonicAndRememberThePriorHolder() {
        apply(init(GROUP, false, LEFT));
        apply(lease("n1", 1, 1_000, 10));
        assertEquals(Optional.of(new GroupLease(new NodeId("n1"), 1, new Timestamp(1_000))), machine.state().lease());
        assertEquals(new Timestamp(10), machine.state().lastTs());
        assertEquals(Timestamp.MIN, machine.state().priorLeaseEnd());
        apply(lease("n1", 1, 900, 20));
        assertEquals(new Timestamp(1_000), machine.state().lease().orElseThrow().end(), "a renewal never shortens");
        assertEquals(new Timestamp(20), machine.state().lastTs());
        apply(lease("n2", 2, 800, 5));
        assertEquals(new Timestamp(1_000), machine.state().priorLeaseEnd());
        assertEquals(new Timestamp(20), machine.state().lastTs(), "closed timestamps never lower lastTs");
        apply(lease("n3", 3, 3_000, 30));
        assertEquals(new Timestamp(1_000), machine.state().priorLeaseEnd(), "the latest end of every earlier holder");
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(lease("n1", 1, 9_000, 40)));
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(lease("not a node id", 4, 9_000, 40)));
    }

    @Test
    void aSplitChangesMetadataOnlyAndAllocatesIdsInTheGroupsSpace() {
        apply(init(GROUP, false, LEFT, RIGHT));
        apply(write(100, put("c", "1"), put("h", "2")));
        long newId = CommandOutcomes.rangeId(GROUP, 1);
        assertEquals((3L << 32) + 1, newId);
        CommandReply reply = apply(split(1, "f", newId));
        RangeState left = range(1, "b", "f").toBuilder().setGeneration(1).build();
        RangeState right = range(newId, "f", "m").toBuilder().setGeneration(1).build();
        assertEquals(List.of(left, right), reply.getApplied().getRangesList());
        assertEquals(List.of(left, right, RIGHT), machine.state().ranges());
        assertEquals(2, machine.state().nextRangeSequence());
        assertEquals(bytes("1"), store.get(bytes("c"), Timestamp.MAX).orElseThrow().value());
        assertEquals(bytes("2"), store.get(bytes("h"), Timestamp.MAX).orElseThrow().value());
        assertEquals(new Timestamp(100), machine.state().lastTs());

        long nextId = CommandOutcomes.rangeId(GROUP, 2);
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(split(1, "b", nextId)), "key starts the range");
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(split(1, "g", nextId)), "key beyond the range");
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(split(42, "c", nextId)), "unknown range");
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(split(1, "c", newId)), "id already allocated");
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(split(1, "c", CommandOutcomes.rangeId(new GroupId(4), 9))),
                "id of another group");
        assertTrue(apply(split(2, "p", nextId)).hasApplied());
        assertEquals(4, machine.state().ranges().size());
    }

    @Test
    void replayingAnAppliedIndexChangesNothing() {
        apply(init(GROUP, false, LEFT));
        ByteString command = write(100, put("c", "1"));
        assertTrue(reply(machine.apply(1, 1, command)).hasApplied());
        nextIndex = 2;
        GroupState before = machine.state();
        assertEquals(ByteString.EMPTY, machine.apply(1, 1, command));
        assertEquals(ByteString.EMPTY, machine.apply(0, 1, write(200, put("c", "2"))));
        assertEquals(before, machine.state());
        assertEquals(List.of(new Version(bytes("c"), bytes("1"), new Timestamp(100))),
                store.scan(KeySpan.ALL, Timestamp.MAX, 10, ScanDirection.FORWARD).rows());
    }

    @Test
    void aReopenedReplicaResumesFromTheStoredState() {
        apply(init(GROUP, false, LEFT, RIGHT));
        apply(write(100, put("c", "1")));
        apply(lease("n1", 1, 5_000, 150));
        apply(split(1, "f", CommandOutcomes.rangeId(GROUP, 1)));
        GroupState before = machine.state();
        store.close();
        store = TestStores.open(dir, "main");
        machine = new RangeStateMachine(GROUP, store);
        assertEquals(before, machine.state());
        assertEquals(nextIndex - 1, machine.appliedIndex());
    }

    @Test
    void aSnapshotReproducesTheReplicaOnAFreshStore() throws IOException {
        apply(init(GROUP, false, LEFT, RIGHT));
        apply(write(100, put("c", "1"), put("n", "1")));
        apply(write(200, put("c", "2"), delete("n")));
        apply(lease("n1", 1, 5_000, 250));
        apply(split(2, "p", CommandOutcomes.rangeId(GROUP, 1)));
        // Data of another group, outside this one's ranges, must not travel.
        store.apply(WriteBatch.builder(new GroupId(77), 0).commitTs(new Timestamp(50)).put(bytes("z"), bytes("x")).build());

        try (LmdbMvccStore fresh = TestStores.open(dir, "fresh")) {
            RangeStateMachine copy = copyTo(fresh);
            assertEquals(machine.state(), copy.state());
            for (long ts : new long[] {99, 100, 150, 200, Long.MAX_VALUE}) {
                assertEquals(store.scan(new KeySpan(bytes("b"), bytes("t")), new Timestamp(ts), 100, ScanDirection.FORWARD),
                        fresh.scan(KeySpan.ALL, new Timestamp(ts), 100, ScanDirection.FORWARD), "at " + ts);
            }
            assertEquals(machine.appliedIndex(), fresh.appliedIndex(GROUP));
        }
    }

    @Test
    void groupsWithoutRangesSnapshotTheirStateAlone() throws IOException {
        apply(init(GROUP, true));
        apply(TestCommands.meta(io.meridian.api.internal.v1.MetaCommand.newBuilder()
                .setBootstrap(io.meridian.api.internal.v1.MetaState.newBuilder().setClusterName("c1")).build()));
        try (LmdbMvccStore fresh = TestStores.open(dir, "fresh")) {
            RangeStateMachine copy = copyTo(fresh);
            assertEquals(machine.state(), copy.state());
            assertEquals("c1", copy.state().metaState().orElseThrow().getClusterName());
        }
    }

    @Test
    void anUnreadableCommandIsInvalidAndStillConsumesItsIndex() {
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(ByteString.copyFromUtf8("\u00ff\u00ff garbage")));
        assertReject(RejectReason.REJECT_REASON_INVALID, apply(ByteString.EMPTY));
        assertEquals(1, machine.appliedIndex());
    }

    @Test
    void listenersHearEveryAppliedStateAndTheLatestLeader() {
        List<GroupState> heard = new ArrayList<>();
        List<String> leaders = new ArrayList<>();
        machine.leaderChanged(Optional.of(new NodeId("n2")), 7);
        machine.addListener(new GroupStateListener() {
            @Override
            public void applied(GroupState state) {
                heard.add(state);
            }

            @Override
            public void leaderChanged(Optional<NodeId> leader, long term) {
                leaders.add(leader.map(NodeId::value).orElse("-") + "@" + term);
            }
        });
        apply(init(GROUP, false, LEFT));
        apply(write(100, put("c", "1")));
        machine.leaderChanged(Optional.empty(), 8);
        assertEquals(List.of(0L, 1L), heard.stream().map(GroupState::appliedIndex).toList());
        assertEquals(List.of("n2@7", "-@8"), leaders);
    }

    private RangeStateMachine copyTo(MvccStore fresh) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(machine.appliedIndex(), machine.writeSnapshot(out));
        RangeStateMachine copy = new RangeStateMachine(GROUP, fresh);
        copy.installSnapshot(new ByteArrayInputStream(out.toByteArray()));
        return copy;
    }

    private CommandReply apply(ByteString command) {
        return reply(machine.apply(nextIndex++, 1, command));
    }
}
