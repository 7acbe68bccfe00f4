package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.groups.SimGroupCluster.Node;
import io.meridian.storage.KeySpan;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.Mutation;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.Version;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows {@link RangeGroupReplica} on a simulated three-replica group (real LMDB stores,
 * simulated clocks and log): commits are acknowledged only after {@code TT.after(s)}; strong
 * reads see every acknowledged commit; a new leader assigns nothing until the previous lease is
 * over, and two leases never overlap; followers' safe time advances with renewals when idle, and
 * a follower read at {@code t} returns exactly the snapshot at {@code t}; keys outside the
 * group, batches over the limits and fenced or non-leader replicas are refused before anything
 * is proposed; splits, restarts, snapshots and the meta group work end to end.
 */
class RangeGroupReplicaTest {

    private static final RangeState LEFT = range(1, "b", "m");
    private static final RangeState RIGHT = range(2, "m", "t");
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aCommitIsAcknowledgedOnlyAfterTrueTimeIsPastItsTimestamp() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            cluster.nodes().forEach(node -> node.trueTime.setEpsilon(Duration.ofMillis(5)));
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            for (int i = 0; i < 10; i++) {
                long startMicros = cluster.scheduler.nowMicros();
                CompletableFuture<Timestamp> commit = leader.replica.commit(List.of(put("c" + i, "v")));
                List<TTInterval> seen = new ArrayList<>();
                commit.thenRun(() -> seen.add(leader.trueTime.now()));
                Timestamp ts = cluster.await(commit);
                assertTrue(seen.get(0).after(ts), "leader's TT.after(" + ts + ") at acknowledgement: " + seen.get(0));
                assertTrue(cluster.scheduler.nowMicros() > ts.micros(), "true time passed the commit timestamp");
                assertTrue(cluster.scheduler.nowMicros() - startMicros >= 10_000, "commit wait of about 2ε ran");
                assertFalse(leader.replica.safeTs().isBefore(ts), "applied at the leader before the acknowledgement");
            }
        }
    }

    @Test
    void aStrongReadSeesEveryAcknowledgedCommit() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            for (int i = 0; i < 10; i++) {
                Timestamp ts = cluster.await(leader.replica.commit(List.of(put("k", "v" + i), put("n" + i, "x"))));
                CompletableFuture<ReadResult> read = leader.replica.strongRead(new ReadSpec.Keys(List.of(bytes("k"))));
                List<TTInterval> seen = new ArrayList<>();
                read.thenRun(() -> seen.add(leader.trueTime.now()));
                ReadResult result = cluster.await(read);
                assertEquals(List.of(new Version(bytes("k"), bytes("v" + i), ts)), result.rows());
                assertFalse(result.readTs().isBefore(ts));
                assertTrue(seen.get(0).after(result.readTs()), "a strong read returns after TT.after(s_read)");
                ReadResult scan = cluster.await(leader.replica.strongRead(
                        new ReadSpec.Span(new KeySpan(bytes("m"), bytes("t")), 100, ScanDirection.FORWARD)));
                assertEquals(i + 1, scan.rows().size());
            }
        }
    }

    @Test
    void aNewLeaderAssignsNothingUntilThePreviousLeaseIsOverAndLeasesNeverOverlap() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3,
                List.of(Duration.ofNanos(400_000), Duration.ofNanos(-400_000)), GroupReplicaOptions.defaults())) {
            Node old = cluster.start(List.of(LEFT));
            Node next = cluster.node(1);
            Timestamp oldTs = cluster.await(old.replica.commit(List.of(put("c", "old"))));
            cluster.runFor(Duration.ofMillis(300));
            // The old leader is cut off: it applies nothing more and never hears of the election.
            cluster.log.pause(old.id);
            cluster.elect(next, Set.of(next, cluster.node(2)));
            Timestamp oldLeaseEnd = old.stateMachine.state().lease().orElseThrow().end();

            cluster.runUntil(() -> next.stateMachine.state().lease().map(l -> l.holder().equals(next.id)).orElse(false),
                    "the new leader's lease applied");
            Throwable early = cluster.awaitFailure(next.replica.commit(List.of(put("c", "new"))));
            assertInstanceOf(LeaseUnavailableException.class, early);

            long firstHeldMicros = -1;
            long lastOldHeldMicros = -1;
            for (int step = 0; step < 4_000; step++) {
                cluster.scheduler.runUntil(cluster.scheduler.nowMicros() + 1_000);
                boolean oldHeld = old.replica.leaseHeld();
                boolean nextHeld = next.replica.leaseHeld();
                assertFalse(oldHeld && nextHeld, "two leases at true time " + cluster.scheduler.nowMicros());
                if (oldHeld) {
                    lastOldHeldMicros = cluster.scheduler.nowMicros();
                }
                if (nextHeld && firstHeldMicros < 0) {
                    firstHeldMicros = cluster.scheduler.nowMicros();
                    assertTrue(next.trueTime.now().after(oldLeaseEnd), "TT.after(previous lease end)");
                }
            }
            assertTrue(lastOldHeldMicros > 0 && firstHeldMicros > lastOldHeldMicros, "the old lease ran, then the new one");
            assertTrue(firstHeldMicros > oldLeaseEnd.micros(), "no new lease before the old one's end in true time");
            Timestamp newTs = cluster.await(next.replica.commit(List.of(put("c", "new"))));
            assertTrue(newTs.isAfter(oldLeaseEnd) && newTs.isAfter(oldTs));
            // The cut-off leader still believes it leads, but its lease is over: it assigns nothing.
            assertInstanceOf(LeaseUnavailableException.class,
                    cluster.awaitFailure(old.replica.commit(List.of(put("c", "stale")))));
        }
    }

    @Test
    void timestampsStrictlyIncreaseAcrossForcedLeaderChangesBetweenFastAndSlowClocks() {
        // With ε = 5 ms, n1's clock runs 4.5 ms ahead of true time and n2's 4.5 ms behind: n2's
        // TT.now().latest is below timestamps n1 assigned a few milliseconds earlier.
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3,
                List.of(Duration.ofNanos(4_500_000), Duration.ofNanos(-4_500_000)), GroupReplicaOptions.defaults())) {
            cluster.nodes().forEach(node -> node.trueTime.setEpsilon(Duration.ofMillis(5)));
            cluster.start(List.of(LEFT));
            List<CompletableFuture<Timestamp>> commits = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                Node leader = cluster.node(round % 2);
                if (round > 0) {
                    // Leadership moves while the previous leader's commits are still in flight.
                    cluster.elect(leader);
                    cluster.awaitLease(leader);
                }
                for (int i = 0; i < 3; i++) {
                    commits.add(leader.replica.commit(List.of(put("c", round + "." + i))));
                }
            }
            Timestamp last = Timestamp.MIN;
            for (CompletableFuture<Timestamp> commit : commits) {
                Timestamp ts = cluster.await(commit);
                assertTrue(ts.isAfter(last), ts + " after " + last);
                last = ts;
            }
            ReadResult read = cluster.await(cluster.node(1).replica.strongRead(new ReadSpec.Keys(List.of(bytes("c")))));
            assertEquals(bytes("5.2"), read.rows().get(0).value());
        }
    }

    @Test
    void followersSafeTimeAdvancesWithLeaseRenewalsWhenIdle() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(2);
            Timestamp ts = cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            cluster.runUntil(() -> !follower.replica.safeTs().isBefore(ts), "the follower applied the commit");
            Timestamp previous = follower.replica.safeTs();
            for (int i = 0; i < 6; i++) {
                cluster.runFor(Duration.ofMillis(500));
                Timestamp now = follower.replica.safeTs();
                assertTrue(now.isAfter(previous), "safe time advanced in interval " + i + ": " + previous + " -> " + now);
                previous = now;
            }
            assertTrue(previous.micros() - ts.micros() >= 2_500_000, "about three idle seconds were closed");
            ReadResult read = cluster.await(follower.replica.readAtSafeTime(ts, new ReadSpec.Keys(List.of(bytes("c"))), WAIT));
            assertEquals(follower.replica.safeTs(), read.readTs());
            assertEquals(bytes("1"), read.rows().get(0).value());
        }
    }

    @Test
    void aFollowerReadAtTReturnsExactlyTheSnapshotAtT() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(1);
            Timestamp t1 = cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            Timestamp t2 = cluster.await(leader.replica.commit(List.of(put("c", "2"), put("d", "2"))));
            Timestamp t3 = cluster.await(leader.replica.commit(List.of(new Mutation.Delete(bytes("c")))));
            ReadSpec both = new ReadSpec.Keys(List.of(bytes("d"), bytes("c")));
            for (int repeat = 0; repeat < 2; repeat++) {
                assertEquals(List.of(), rows(cluster, follower, t1.previous(), both));
                assertEquals(List.of("c=1@" + t1), rows(cluster, follower, t1, both));
                assertEquals(List.of("c=1@" + t1), rows(cluster, follower, t2.previous(), both));
                assertEquals(List.of("d=2@" + t2, "c=2@" + t2), rows(cluster, follower, t2, both));
                assertEquals(List.of("d=2@" + t2), rows(cluster, follower, t3, both));
                cluster.await(leader.replica.commit(List.of(put("c", "later"), put("d", "later"))));
            }

            // Beyond safe time a read waits: it fails when the follower cannot catch up in time...
            cluster.log.pause(follower.id);
            Timestamp ahead = cluster.await(leader.replica.commit(List.of(put("c", "4"))));
            Throwable late = cluster.awaitFailure(follower.replica.readAt(ahead, both, Duration.ofMillis(100)));
            assertInstanceOf(SafeTimeWaitTimeoutException.class, late);
            // ...and is served, at exactly its timestamp, once the follower's safe time covers it.
            CompletableFuture<ReadResult> waiting = follower.replica.readAt(ahead, both, WAIT);
            cluster.runFor(Duration.ofMillis(50));
            assertFalse(waiting.isDone(), "no read above safe time");
            cluster.log.resume(follower.id);
            ReadResult result = cluster.await(waiting);
            assertEquals(ahead, result.readTs());
            assertFalse(follower.replica.safeTs().isBefore(ahead));
            assertEquals(bytes("4"), result.rows().get(1).value());
        }
    }

    @Test
    void keysOutsideTheGroupAndOversizedBatchesAreRefusedBeforeAnythingIsProposed() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            long proposed = nonLeaseEntries(cluster);
            CommandRejectedException wrong = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(leader.replica.commit(List.of(put("c", "1"), put("z", "1")))));
            assertEquals(RejectReason.REJECT_REASON_WRONG_RANGE, wrong.reason());
            assertEquals(List.of(LEFT, RIGHT), wrong.ranges());
            List<Mutation> tooMany = IntStream.range(0, 10_001).mapToObj(i -> put("c" + i, "v")).toList();
            assertInstanceOf(LimitExceededException.class, cluster.awaitFailure(leader.replica.commit(tooMany)));
            CommandRejectedException wrongRead = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(cluster.node(1).replica.readAt(Timestamp.MIN,
                            new ReadSpec.Span(new KeySpan(bytes("s"), bytes("u")), 10, ScanDirection.FORWARD), WAIT)));
            assertEquals(RejectReason.REJECT_REASON_WRONG_RANGE, wrongRead.reason());
            assertEquals(proposed, nonLeaseEntries(cluster), "nothing but lease renewals reached the log");
        }
    }

    @Test
    void aSplitKeepsKeysOnBothSidesReadableAndLaterWritesLandInTheRightRange() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            cluster.await(leader.replica.commit(List.of(put("c", "1"), put("h", "1"))));
            List<RangeState> parts = cluster.await(leader.replica.split(bytes("f")));
            long newId = CommandOutcomes.rangeId(SimGroupCluster.GROUP, 1);
            assertEquals(List.of(range(1, "b", "f").toBuilder().setGeneration(1).build(),
                    range(newId, "f", "m").toBuilder().setGeneration(1).build()), parts);
            Timestamp ts = cluster.await(leader.replica.commit(List.of(put("g", "2"))));
            ReadResult read = cluster.await(leader.replica.strongRead(
                    new ReadSpec.Keys(List.of(bytes("c"), bytes("h"), bytes("g")))));
            assertEquals(3, read.rows().size());
            Node follower = cluster.node(2);
            cluster.runUntil(() -> !follower.replica.safeTs().isBefore(ts), "follower caught up");
            assertEquals(leader.replica.ranges(), follower.replica.ranges());
            RangeState holder = GroupRanges.holding(follower.replica.ranges(), bytes("g")).orElseThrow();
            assertEquals(newId, holder.getRangeId());

            CommandRejectedException again = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(leader.replica.split(bytes("f"))));
            assertEquals(RejectReason.REJECT_REASON_INVALID, again.reason());
            assertInstanceOf(CommandRejectedException.class, cluster.awaitFailure(leader.replica.split(bytes("z"))));
            assertInstanceOf(NotLeaderException.class, cluster.awaitFailure(follower.replica.split(bytes("p"))));
            List<RangeState> second = cluster.await(leader.replica.split(bytes("p")));
            assertEquals(CommandOutcomes.rangeId(SimGroupCluster.GROUP, 2), second.get(1).getRangeId());
        }
    }

    @Test
    void aFencedOrNonLeaderReplicaHoldsNoLeaseAndServesNoStrongReads() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(1);
            NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class,
                    cluster.awaitFailure(follower.replica.strongRead(new ReadSpec.Keys(List.of(bytes("c"))))));
            assertEquals(Optional.of(leader.id), notLeader.leaderHint());
            assertFalse(follower.replica.leaseHeld());

            leader.trueTime.setEpsilon(Duration.ofMillis(50));
            assertFalse(leader.replica.leaseHeld());
            assertInstanceOf(LeaseUnavailableException.class,
                    cluster.awaitFailure(leader.replica.commit(List.of(put("c", "1")))));
            leader.trueTime.setEpsilon(SimGroupCluster.EPSILON);
            assertTrue(leader.replica.leaseHeld());
            cluster.await(leader.replica.commit(List.of(put("c", "1"))));
        }
    }

    @Test
    void aRestartedReplicaReplaysTheLogFromItsStoreAndAgreesWithTheOthers() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(2);
            cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            cluster.log.pause(follower.id);
            Timestamp last = Timestamp.MIN;
            for (int i = 0; i < 5; i++) {
                last = cluster.await(leader.replica.commit(List.of(put("d" + i, "1"))));
            }
            follower.restart();
            cluster.log.resume(follower.id);
            Timestamp target = last;
            cluster.runUntil(() -> !follower.replica.safeTs().isBefore(target), "restarted follower caught up");
            cluster.runFor(Duration.ofMillis(10));
            assertEquals(leader.stateMachine.state().ranges(), follower.stateMachine.state().ranges());
            assertEquals(scanAll(leader, target), scanAll(follower, target));
        }
    }

    @Test
    void aLaggingFollowerCatchesUpFromASnapshotAndKeepsApplying() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(1);
            cluster.log.pause(follower.id);
            for (int i = 0; i < 5; i++) {
                cluster.await(leader.replica.commit(List.of(put("d" + i, "v" + i))));
            }
            cluster.await(leader.replica.split(bytes("f")));
            cluster.log.installSnapshot(leader.id, follower.id);
            cluster.log.resume(follower.id);
            Timestamp ts = cluster.await(leader.replica.commit(List.of(put("g", "after"))));
            cluster.runUntil(() -> !follower.replica.safeTs().isBefore(ts), "follower caught up");
            assertEquals(leader.replica.ranges(), follower.replica.ranges());
            assertEquals(scanAll(leader, ts), scanAll(follower, ts));
        }
    }

    @Test
    void aLeaderServesNothingUntilItsGroupIsInitializedAndSaysToRetry() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.node(0);
            cluster.elect(leader);
            cluster.runFor(Duration.ofMillis(100));
            // The directory can name a new group before its InitGroup applies: a split is told to
            // retry (not that its key is outside the group), a write is re-routed (WRONG_RANGE).
            assertInstanceOf(LeaseUnavailableException.class, cluster.awaitFailure(leader.replica.split(bytes("f"))));
            CommandRejectedException write = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(leader.replica.commit(List.of(put("c", "v")))));
            assertEquals(RejectReason.REJECT_REASON_WRONG_RANGE, write.reason());
            assertFalse(leader.replica.leaseHeld(), "no lease before the InitGroup");
            cluster.await(leader.replica.propose(GroupCommand.newBuilder().setInit(
                    io.meridian.api.internal.v1.InitGroup.newBuilder().setGroupId(SimGroupCluster.GROUP.value())
                            .addRanges(LEFT)).build()));
            cluster.runUntil(leader.replica::leaseHeld, "the lease held once initialized");
            cluster.await(leader.replica.commit(List.of(put("c", "v"))));
            assertEquals(2, cluster.await(leader.replica.split(bytes("f"))).size());
        }
    }

    @Test
    void theMetaGroupAndSizeEstimatesWorkThroughTheReplica() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.node(0);
            cluster.elect(leader);
            GroupCommand init = GroupCommand.newBuilder().setInit(io.meridian.api.internal.v1.InitGroup.newBuilder()
                    .setGroupId(SimGroupCluster.GROUP.value()).setMeta(true)).build();
            cluster.await(leader.replica.propose(init));
            assertTrue(leader.replica.isMeta());
            assertEquals(Optional.of(MetaState.getDefaultInstance()), leader.replica.meta());
            cluster.await(leader.replica.propose(GroupCommand.newBuilder().setMeta(MetaCommand.newBuilder()
                    .setBootstrap(MetaState.newBuilder().setClusterName("c"))).build()));
            CommandReply allocated = cluster.await(leader.replica.propose(GroupCommand.newBuilder()
                    .setMeta(MetaCommand.newBuilder().setAllocateGroupId(true)).build()));
            assertEquals(1, allocated.getApplied().getTsMicros());
            assertEquals(2, leader.replica.meta().orElseThrow().getNextGroupId());
            assertEquals(0, leader.replica.approximateBytes());
            assertInstanceOf(IllegalArgumentException.class, cluster.awaitFailure(leader.replica.propose(
                    GroupCommand.newBuilder().setWrite(io.meridian.api.internal.v1.Write.getDefaultInstance()).build())));
        }
        try (SimGroupCluster cluster = new SimGroupCluster(dir.resolve("data"), 1)) {
            Node leader = cluster.start(List.of(LEFT));
            assertEquals(Optional.empty(), leader.replica.meta());
            cluster.await(leader.replica.commit(List.of(put("c", "12345"), put("d", "1"))));
            cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            assertEquals(4, leader.replica.approximateBytes(), "newest live versions only: c=1, d=1");
        }
    }

    private static Mutation put(String key, String value) {
        return new Mutation.Put(bytes(key), bytes(value));
    }

    private static List<String> rows(SimGroupCluster cluster, Node node, Timestamp ts, ReadSpec spec) {
        ReadResult result = cluster.await(node.replica.readAt(ts, spec, WAIT));
        assertEquals(ts, result.readTs());
        return result.rows().stream()
                .map(row -> row.key().toStringUtf8() + "=" + row.value().toStringUtf8() + "@" + row.ts()).toList();
    }

    private static List<Version> scanAll(Node node, Timestamp ts) {
        return node.store.scan(KeySpan.ALL, ts, 1_000, ScanDirection.FORWARD).rows();
    }

    private static boolean isLease(SimGroupLog.Entry entry) {
        try {
            return GroupCommand.parseFrom(entry.command()).hasLease();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long nonLeaseEntries(SimGroupCluster cluster) {
        return cluster.log.entries().stream().filter(entry -> !isLease(entry)).count();
    }
}
