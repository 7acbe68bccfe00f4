package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.GROUP;
import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static io.meridian.groups.TestCommands.assertReject;
import static io.meridian.groups.TestCommands.delete;
import static io.meridian.groups.TestCommands.deleteRange;
import static io.meridian.groups.TestCommands.init;
import static io.meridian.groups.TestCommands.put;
import static io.meridian.groups.TestCommands.reply;
import static io.meridian.groups.TestCommands.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.AcceptRange;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.FreezeRange;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.IngestVersions;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.ReleaseRange;
import io.meridian.api.internal.v1.UnfreezeRange;
import io.meridian.storage.GroupId;
import io.meridian.storage.MvccStore;
import io.meridian.storage.Version;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.truetime.Timestamp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows the range-move commands on two groups sharing one node's store, as replicas of a
 * source and a target group do: IngestVersions adds an unserved incoming range and skips the
 * versions the source already stored; FreezeRange stops writes (RANGE_FROZEN) and reports
 * frozen_at; AcceptRange serves the range in the target and lifts its last timestamp to
 * frozen_at, so stale timestamps are refused; ReleaseRange drops it from the source, whose
 * data stays; UnfreezeRange aborts; incoming ranges travel in snapshots.
 */
class RangeMoveCommandsTest {

    private static final GroupId TARGET = new GroupId(4);
    private static final RangeState LEFT = range(1, "b", "m");
    private static final RangeState RIGHT = range(2, "m", "t");
    private static final RangeState TARGET_OWN = range(10, "t", "z");

    @TempDir
    Path dir;

    private LmdbMvccStore store;
    private RangeStateMachine source;
    private RangeStateMachine target;
    private long sourceIndex;
    private long targetIndex;

    @BeforeEach
    void open() {
        store = TestStores.open(dir, "shared");
        source = new RangeStateMachine(GROUP, store);
        target = new RangeStateMachine(TARGET, store);
        assertTrue(reply(source.apply(sourceIndex++, 1, init(GROUP, false, LEFT, RIGHT))).hasApplied());
        assertTrue(reply(target.apply(targetIndex++, 1, init(TARGET, false, TARGET_OWN))).hasApplied());
        assertTrue(onSource(write(100, put("c", "c1"), put("d", "d1"))).hasApplied());
        assertTrue(onSource(write(200, delete("c"), put("d", "d2"))).hasApplied());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aWholeMoveHandsTheRangeOverWithItsHistory() {
        CommandReply ingested = onTarget(ingest(source.store(), LEFT, Timestamp.MIN, new Timestamp(200)));
        assertEquals(4, ingested.getApplied().getTsMicros(), "four versions copied");
        assertEquals(List.of(LEFT.getRangeId()), target.state().incoming().stream().map(RangeState::getRangeId).toList());
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, onTarget(write(250, put("c", "early"))),
                "an incoming range is not served");

        CommandReply frozen = onSource(freeze(LEFT.getRangeId()));
        assertEquals(200, frozen.getApplied().getTsMicros(), "frozen_at is the source's last timestamp");
        assertReject(RejectReason.REJECT_REASON_RANGE_FROZEN, onSource(write(300, put("c", "late"))));
        assertReject(RejectReason.REJECT_REASON_RANGE_FROZEN, onSource(write(300, deleteRange("l", "n"))),
                "a delete_range reaching into the frozen range is refused too");
        assertTrue(onSource(write(300, put("n", "right side"))).hasApplied(), "other ranges keep writing");
        assertEquals(200, onSource(freeze(LEFT.getRangeId())).getApplied().getTsMicros(), "freezing is idempotent");

        RangeState moved = LEFT.toBuilder().setGeneration(LEFT.getGeneration() + 1).build();
        assertTrue(onTarget(accept(moved, 200)).hasApplied());
        assertEquals(List.of(moved, TARGET_OWN), target.state().ranges());
        assertEquals(List.of(), target.state().incoming());
        assertEquals(new Timestamp(200), target.state().lastTs());
        assertReject(RejectReason.REJECT_REASON_STALE_TIMESTAMP, onTarget(write(150, put("c", "below frozen_at"))));
        assertTrue(onTarget(write(400, put("c", "c4"))).hasApplied());

        assertTrue(onSource(release(LEFT.getRangeId())).hasApplied());
        assertEquals(List.of(RIGHT.getRangeId()), source.state().ranges().stream().map(RangeState::getRangeId).toList());
        assertReject(RejectReason.REJECT_REASON_WRONG_RANGE, onSource(write(500, put("c", "gone"))));
        assertTrue(onSource(release(LEFT.getRangeId())).hasApplied(), "releasing is idempotent");

        assertEquals(Optional.of(bytes("c1")), valueAt("c", 199));
        assertEquals(Optional.empty(), valueAt("c", 200));
        assertEquals(Optional.of(bytes("c4")), valueAt("c", 400));
        assertEquals(Optional.of(bytes("d2")), valueAt("d", 400));
    }

    @Test
    void ingestingIntoAnotherStoreCopiesTheExactHistory() {
        try (LmdbMvccStore other = TestStores.open(dir, "other")) {
            RangeStateMachine remote = new RangeStateMachine(TARGET, other);
            remote.apply(0, 1, init(TARGET, false, TARGET_OWN));
            remote.apply(1, 1, ingest(store, LEFT, Timestamp.MIN, new Timestamp(150)));
            remote.apply(2, 1, ingest(store, LEFT, new Timestamp(150), new Timestamp(200)));
            for (long t : new long[] {99, 100, 199, 200}) {
                for (String key : List.of("c", "d")) {
                    assertEquals(store.get(bytes(key), new Timestamp(t)), other.get(bytes(key), new Timestamp(t)),
                            key + " at " + t);
                }
            }
        }
    }

    @Test
    void anIncomingRangeMustNotOverlapAServedOne() {
        assertReject(RejectReason.REJECT_REASON_INVALID,
                onTarget(GroupCommand.newBuilder().setIngestVersions(IngestVersions.newBuilder()
                        .setRange(range(7, "s", "u"))).build().toByteString()));
        assertReject(RejectReason.REJECT_REASON_INVALID, onTarget(accept(LEFT, 200)), "nothing incoming to accept");
    }

    @Test
    void aGroupRefusesEverythingButItsInitGroupUntilInitialized() {
        // A new group whose InitGroup was ordered after a move's first commands used to accept
        // the range and then lose it to the late InitGroup.
        GroupId fresh = new GroupId(5);
        RangeStateMachine late = new RangeStateMachine(fresh, store);
        RangeState moved = LEFT.toBuilder().setGeneration(LEFT.getGeneration() + 1).build();
        assertReject(RejectReason.REJECT_REASON_INVALID, reply(late.apply(0, 1, ingest(store, LEFT, Timestamp.MIN,
                new Timestamp(200)))), "an IngestVersions before the InitGroup");
        assertReject(RejectReason.REJECT_REASON_INVALID, reply(late.apply(1, 1, accept(moved, 200))));
        assertReject(RejectReason.REJECT_REASON_INVALID, reply(late.apply(2, 1, write(300, put("c", "x")))));
        assertEquals(List.of(), late.state().incoming());
        assertEquals(List.of(), late.state().ranges());
        assertTrue(reply(late.apply(3, 1, init(fresh, false))).hasApplied());
        assertTrue(late.state().initialized());
        assertTrue(reply(late.apply(4, 1, ingest(store, LEFT, Timestamp.MIN, new Timestamp(200)))).hasApplied());
        assertTrue(reply(late.apply(5, 1, accept(moved, 200))).hasApplied());
        assertEquals(List.of(moved), late.state().ranges());
    }

    @Test
    void unfreezingAbortsAMoveAndReleaseNeedsAFrozenRange() {
        assertReject(RejectReason.REJECT_REASON_INVALID, onSource(release(LEFT.getRangeId())));
        onSource(freeze(LEFT.getRangeId()));
        assertTrue(onSource(GroupCommand.newBuilder().setUnfreezeRange(UnfreezeRange.newBuilder()
                .setRangeId(LEFT.getRangeId())).build().toByteString()).hasApplied());
        assertTrue(onSource(write(300, put("c", "again"))).hasApplied());
        assertEquals(List.of(LEFT, RIGHT), source.state().ranges());
    }

    @Test
    void incomingRangesAndTheirDataTravelInSnapshots() throws Exception {
        try (LmdbMvccStore other = TestStores.open(dir, "other")) {
            RangeStateMachine remote = new RangeStateMachine(TARGET, other);
            remote.apply(0, 1, init(TARGET, false, TARGET_OWN));
            remote.apply(1, 1, ingest(store, LEFT, Timestamp.MIN, new Timestamp(200)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            remote.writeSnapshot(out);
            try (LmdbMvccStore fresh = TestStores.open(dir, "fresh")) {
                RangeStateMachine copy = new RangeStateMachine(TARGET, fresh);
                copy.installSnapshot(new ByteArrayInputStream(out.toByteArray()));
                assertEquals(remote.state().incoming(), copy.state().incoming());
                assertEquals(Optional.of(bytes("c1")), fresh.get(bytes("c"), new Timestamp(100)).map(Version::value));
                assertEquals(Optional.of(bytes("d2")), fresh.get(bytes("d"), new Timestamp(200)).map(Version::value));
            }
        }
    }

    private static ByteString ingest(MvccStore from, RangeState range, Timestamp after, Timestamp upTo) {
        IngestVersions.Builder ingest = IngestVersions.newBuilder().setRange(range);
        from.versions(GroupRanges.span(range), after, upTo, Optional.empty(), 1000).versions()
                .forEach(v -> ingest.addVersions(RangeHandoffs.toWire(v)));
        return GroupCommand.newBuilder().setIngestVersions(ingest).build().toByteString();
    }

    private static ByteString freeze(long rangeId) {
        return GroupCommand.newBuilder().setFreezeRange(FreezeRange.newBuilder().setRangeId(rangeId)).build()
                .toByteString();
    }

    private static ByteString accept(RangeState range, long frozenAtMicros) {
        return GroupCommand.newBuilder().setAcceptRange(AcceptRange.newBuilder().setRange(range)
                .setFrozenAtMicros(frozenAtMicros)).build().toByteString();
    }

    private static ByteString release(long rangeId) {
        return GroupCommand.newBuilder().setReleaseRange(ReleaseRange.newBuilder().setRangeId(rangeId)).build()
                .toByteString();
    }

    private Optional<ByteString> valueAt(String key, long micros) {
        return store.get(bytes(key), new Timestamp(micros)).map(Version::value);
    }

    private CommandReply onSource(ByteString command) {
        return reply(source.apply(sourceIndex++, 1, command));
    }

    private CommandReply onTarget(ByteString command) {
        return reply(target.apply(targetIndex++, 1, command));
    }
}
