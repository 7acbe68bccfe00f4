package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.api.internal.v1.FreezeRange;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.groups.SimGroupCluster.Node;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows the two-phase-commit steps and {@code t_safe} through {@link RangeGroupReplica} on a
 * simulated three-replica group: prepared writes are invisible until resolved and then visible at
 * the commit timestamp on every replica, even below timestamps already closed; a read above
 * {@code prepare_ts - 1} waits for the resolve at the leader and at followers (invariant 5);
 * prepared transactions and decision records survive a restart and a snapshot install and are
 * seen by a new leader, which refuses writes over them; a leader closes a read timestamp itself
 * rather than wait for a lease renewal; timestamp bounds refuse before proposing; strong reads
 * and {@code strongReadTs} follow DESIGN.md's rule with and without prepared transactions.
 */
class GroupTxnReplicaTest {

    private static final RangeState LEFT = range(1, "b", "m");
    private static final RangeState RIGHT = range(2, "m", "t");
    private static final GroupId COORDINATOR = new GroupId(9);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ReadSpec C = keys("c");

    @TempDir
    Path dir;

    @Test
    void preparedWritesAreInvisibleUntilResolvedThenVisibleAtTheCommitTimestampOnEveryReplica() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            Node follower = cluster.node(2);
            cluster.await(leader.replica.commit(List.of(put("c", "old"))));
            Timestamp prepareTs = cluster.await(leader.replica.prepare(txn(1), List.of(put("c", "new"), put("n", "new")),
                    COORDINATOR, deadline(cluster)));
            cluster.runUntil(() -> follower.replica.preparedTxns().size() == 1, "the follower applied the prepare");
            assertEquals(leader.replica.preparedTxns(), follower.replica.preparedTxns());

            // Safe time stops below the prepare timestamp although closed timestamps move on.
            cluster.runFor(Duration.ofMillis(1_200));
            for (Node node : cluster.nodes()) {
                assertEquals(prepareTs.previous(), node.replica.safeTs(), node.id + " t_safe");
                assertTrue(node.stateMachine.state().lastTs().micros() > prepareTs.micros() + 500_000,
                        node.id + " closed half a second past the prepare");
            }
            assertEquals(List.of("c=old"), values(cluster.await(leader.replica.readAt(prepareTs.previous(), C, WAIT))));
            // The coordinator commits just above the prepare timestamp: below what renewals closed.
            Timestamp commitTs = prepareTs.next();
            List<CompletableFuture<ReadResult>> waiting = new ArrayList<>();
            for (Node node : cluster.nodes()) {
                waiting.add(node.replica.readAt(commitTs, C, WAIT));
            }
            cluster.runFor(Duration.ofMillis(600));
            waiting.forEach(read -> assertFalse(read.isDone(), "no read above prepare_ts - 1 before the resolve"));
            Throwable late = cluster.awaitFailure(follower.replica.readAt(commitTs, C, Duration.ofMillis(100)));
            assertInstanceOf(SafeTimeWaitTimeoutException.class, late);
            assertTrue(late.getMessage().contains(txn(1) + " prepared at " + prepareTs), "the error names what "
                    + "holds the safe time back: " + late.getMessage());

            TxnRecord record = cluster.await(leader.replica.resolveTxn(txn(1), true, commitTs, deadline(cluster)));
            assertTrue(record.getCommitted());
            assertEquals(commitTs.micros(), record.getCommitTsMicros());
            for (CompletableFuture<ReadResult> read : waiting) {
                ReadResult result = cluster.await(read);
                assertEquals(commitTs, result.readTs());
                assertEquals(List.of("c=new"), values(result), "the waiting read sees the commit");
            }
            for (Node node : cluster.nodes()) {
                assertEquals(List.of("c=old"), values(cluster.await(node.replica.readAt(prepareTs, C, WAIT))));
                assertEquals(List.of("c=new", "n=new"),
                        values(cluster.await(node.replica.readAt(commitTs, keys("c", "n"), WAIT))));
                assertEquals(List.of(), node.replica.preparedTxns());
                assertEquals(List.of(record), node.replica.txnRecords());
                assertTrue(node.replica.safeTs().isAfter(commitTs));
            }
        }
    }

    @Test
    void anAbortLiftsSafeTimeAndLeavesNothingBehind() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(1);
            Timestamp prepareTs = cluster.await(leader.replica.prepare(txn(1), List.of(put("c", "x")), COORDINATOR,
                    deadline(cluster)));
            CompletableFuture<ReadResult> read = follower.replica.readAt(prepareTs, C, WAIT);
            cluster.runFor(Duration.ofMillis(700));
            assertFalse(read.isDone());
            TxnRecord aborted = cluster.await(leader.replica.resolveTxn(txn(1), false, Timestamp.MIN, deadline(cluster)));
            assertFalse(aborted.getCommitted());
            assertEquals(List.of(), cluster.await(read).rows());
            assertEquals(List.of(), cluster.await(follower.replica.readAt(follower.replica.safeTs(), C, WAIT)).rows());
            // The first decision wins: a commit after the abort is answered with the abort.
            assertEquals(aborted, cluster.await(leader.replica.resolveTxn(txn(1), true, prepareTs, deadline(cluster))));
            CommandRejectedException late = assertInstanceOf(CommandRejectedException.class, cluster.awaitFailure(
                    leader.replica.prepare(txn(1), List.of(put("c", "x")), COORDINATOR, deadline(cluster))));
            assertEquals(RejectReason.REJECT_REASON_TXN_FINISHED, late.reason());
            cluster.await(leader.replica.forgetTxns(List.of(txn(1))));
            assertEquals(List.of(), leader.replica.txnRecords());
        }
    }

    @Test
    void restartAndSnapshotKeepPreparedTransactionsAndRecordsAndANewLeaderHonoursThem() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            Node restarted = cluster.node(2);
            Node lagging = cluster.node(1);
            Timestamp prepareTs = cluster.await(leader.replica.prepare(txn(1), List.of(put("c", "1")), COORDINATOR,
                    deadline(cluster)));
            cluster.await(leader.replica.commitTxn(txn(2), List.of(put("d", "2")), List.of(new GroupId(4)),
                    Timestamp.MIN, Timestamp.MAX, deadline(cluster)));
            cluster.await(leader.replica.resolveTxn(txn(3), false, Timestamp.MIN, deadline(cluster)));
            cluster.log.pause(lagging.id);
            cluster.await(leader.replica.prepare(txn(4), List.of(put("n", "4")), COORDINATOR, deadline(cluster)));
            cluster.runUntil(() -> restarted.replica.preparedTxns().size() == 2, "the follower applied everything");

            restarted.restart();
            cluster.log.installSnapshot(leader.id, lagging.id);
            cluster.log.resume(lagging.id);
            cluster.runFor(Duration.ofMillis(10));
            for (Node node : List.of(restarted, lagging)) {
                assertEquals(leader.replica.preparedTxns(), node.replica.preparedTxns(), node.id + " prepared");
                assertEquals(leader.replica.txnRecords(), node.replica.txnRecords(), node.id + " records");
                assertEquals(prepareTs.previous(), node.replica.safeTs(), node.id + " t_safe");
            }
            assertEquals(List.of(txn(1), txn(4)), leader.replica.preparedTxns().stream().map(PreparedTxn::id).toList());
            assertEquals(2, leader.replica.txnRecords().size());

            cluster.elect(lagging);
            cluster.awaitLease(lagging);
            // The new leader's lock table is empty, but the prepared records are not: it refuses.
            CommandRejectedException conflict = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(lagging.replica.commit(List.of(put("c", "other")))));
            assertEquals(RejectReason.REJECT_REASON_LOCK_CONFLICT, conflict.reason());
            TxnRecord committed = cluster.await(lagging.replica.resolveTxn(txn(1), true, prepareTs, deadline(cluster)));
            assertEquals(List.of("c=1"), values(cluster.await(lagging.replica.readAt(prepareTs, C, WAIT))));
            assertEquals(committed, lagging.replica.txnRecords().stream()
                    .filter(r -> r.getTxnId().equals(txn(1).toBytes())).findFirst().orElseThrow());
            Timestamp later = cluster.await(lagging.replica.commit(List.of(put("c", "after"))));
            assertTrue(later.isAfter(prepareTs));
        }
    }

    @Test
    void aLeaderClosesAReadTimestampItselfInsteadOfWaitingForTheNextRenewal() {
        GroupReplicaOptions slowRenewals = GroupReplicaOptions.defaults()
                .withLease(Duration.ofSeconds(10), Duration.ofSeconds(3));
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3, List.of(), slowRenewals)) {
            Node leader = cluster.start(List.of(LEFT));
            Node follower = cluster.node(1);
            cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            // A write in flight, then a read at TT.now().latest: the read must include the write.
            CompletableFuture<Timestamp> inFlight = leader.replica.commit(List.of(put("c", "2")));
            cluster.runFor(Duration.ofMillis(1));
            assertFalse(inFlight.isDone());
            Timestamp readTs = leader.trueTime.now().latest();
            long startMicros = cluster.scheduler.nowMicros();
            CompletableFuture<ReadResult> leaderRead = leader.replica.readAt(readTs, C, WAIT);
            CompletableFuture<ReadResult> followerRead = follower.replica.readAt(readTs, C, WAIT);
            ReadResult result = cluster.await(leaderRead);
            long leaderMicros = cluster.scheduler.nowMicros() - startMicros;
            assertEquals(List.of("c=2"), values(result));
            assertTrue(leaderMicros <= 3 * SimGroupCluster.REPLICATION_DELAY.toNanos() / 1_000,
                    "the leader waited only for the write in flight: " + leaderMicros + "us");
            assertFalse(followerRead.isDone(), "a follower waits for a closed timestamp from the log");
            cluster.await(followerRead);
            assertTrue(cluster.scheduler.nowMicros() - startMicros >= 1_000_000, "...which comes with a renewal");
            assertTrue(cluster.await(inFlight).isBefore(readTs));
            Timestamp next = cluster.await(leader.replica.commit(List.of(put("c", "3"))));
            assertTrue(next.isAfter(readTs), "nothing is assigned at or below a closed timestamp");
            assertEquals(List.of("c=2"), values(cluster.await(follower.replica.readAt(readTs, C, WAIT))));

            // A timestamp beyond TT.now().latest is not closed early: it waits like at a follower.
            Timestamp future = new Timestamp(leader.trueTime.now().latestMicros() + 1_000_000);
            CompletableFuture<ReadResult> ahead = leader.replica.readAt(future, C, WAIT);
            cluster.runFor(Duration.ofMillis(20));
            assertFalse(ahead.isDone());
        }
    }

    @Test
    void timestampBoundsRefuseBeforeAnythingIsProposed() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            long entries = nonLeaseEntries(cluster);
            Timestamp past = new Timestamp(leader.trueTime.now().earliestMicros() - 1_000);
            CommitBoundException bound = assertInstanceOf(CommitBoundException.class,
                    cluster.awaitFailure(leader.replica.commitAtMost(List.of(put("c", "1")), past)));
            assertEquals(past, bound.bound());
            assertTrue(bound.next().isAfter(past));
            assertInstanceOf(CommitBoundException.class, cluster.awaitFailure(leader.replica.commitTxn(txn(1),
                    List.of(put("c", "1")), List.of(), Timestamp.MIN, past, deadline(cluster))));
            CommandRejectedException late = assertInstanceOf(CommandRejectedException.class, cluster.awaitFailure(
                    leader.replica.prepare(txn(2), List.of(put("c", "1")), COORDINATOR, past)));
            assertEquals(RejectReason.REJECT_REASON_TXN_DEADLINE, late.reason());
            assertEquals(entries, nonLeaseEntries(cluster), "nothing but renewals reached the log");

            Timestamp maxTs = new Timestamp(leader.trueTime.now().latestMicros() + 1_000_000);
            Timestamp ts = cluster.await(leader.replica.commitAtMost(List.of(put("c", "1")), maxTs));
            assertFalse(ts.isAfter(maxTs));

            Timestamp minTs = new Timestamp(leader.trueTime.now().latestMicros() + 50_000);
            CompletableFuture<TxnRecord> commit = leader.replica.commitTxn(txn(3), List.of(put("d", "3")),
                    List.of(new GroupId(4)), minTs, Timestamp.MAX, deadline(cluster));
            List<TTInterval> seen = new ArrayList<>();
            commit.thenRun(() -> seen.add(leader.trueTime.now()));
            TxnRecord record = cluster.await(commit);
            Timestamp commitTs = new Timestamp(record.getCommitTsMicros());
            assertTrue(record.getCommitted());
            assertFalse(commitTs.isBefore(minTs));
            assertTrue(seen.get(0).after(commitTs), "acknowledged after TT.after(s)");
            assertEquals(List.of(4L), record.getParticipantGroupsList());
            // A repeated commit answers with the first one's decision and timestamp.
            assertEquals(record, cluster.await(leader.replica.commitTxn(txn(3), List.of(put("d", "again")), List.of(),
                    Timestamp.MIN, Timestamp.MAX, deadline(cluster))));
            // A commit after an abort completes with the abort.
            cluster.await(leader.replica.resolveTxn(txn(5), false, Timestamp.MIN, deadline(cluster)));
            TxnRecord aborted = cluster.await(leader.replica.commitTxn(txn(5), List.of(put("e", "5")), List.of(),
                    Timestamp.MIN, Timestamp.MAX, deadline(cluster)));
            assertFalse(aborted.getCommitted());
            assertEquals(List.of(), cluster.await(leader.replica.strongRead(keys("e"))).rows());
        }
    }

    @Test
    void strongReadsUseTheLastCommitWithoutPreparedTransactionsAndTrueTimeWithThem() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT));
            Timestamp written = cluster.await(leader.replica.commit(List.of(put("c", "1"))));
            assertEquals(leader.stateMachine.state().lastTs(), leader.replica.strongReadTs());
            assertFalse(leader.replica.strongReadTs().isBefore(written));
            assertThrows(NotLeaderException.class, () -> cluster.node(1).replica.strongReadTs());

            Timestamp prepareTs = cluster.await(leader.replica.prepare(txn(1), List.of(put("c", "2")), COORDINATOR,
                    deadline(cluster)));
            assertEquals(leader.trueTime.now().latest(), leader.replica.strongReadTs());
            Timestamp sRead = leader.trueTime.now().latest();
            CompletableFuture<ReadResult> strong = leader.replica.strongRead(C);
            cluster.runFor(Duration.ofMillis(200));
            assertFalse(strong.isDone(), "a strong read waits for the prepared transaction");
            cluster.await(leader.replica.resolveTxn(txn(1), true, prepareTs, deadline(cluster)));
            List<TTInterval> seen = new ArrayList<>();
            strong.thenRun(() -> seen.add(leader.trueTime.now()));
            ReadResult result = cluster.await(strong);
            assertEquals(sRead, result.readTs());
            assertEquals(List.of("c=2"), values(result), "it sees the commit at " + prepareTs);
            assertTrue(seen.get(0).after(result.readTs()));
            assertEquals(leader.stateMachine.state().lastTs(), leader.replica.strongReadTs(), "none prepared again");
        }
    }

    @Test
    void latestReadsLeaseEndAndTermAreTheLeadersAlone() {
        try (SimGroupCluster cluster = new SimGroupCluster(dir, 3)) {
            Node leader = cluster.start(List.of(LEFT, RIGHT));
            Node follower = cluster.node(1);
            cluster.await(leader.replica.commit(List.of(put("c", "1"), put("n", "1"))));
            CompletableFuture<ReadResult> latest = leader.replica.latestRead(C);
            assertTrue(latest.isDone(), "no commit wait");
            ReadResult result = cluster.await(latest);
            assertEquals(leader.stateMachine.state().lastTs(), result.readTs());
            assertEquals(List.of("c=1"), values(result));
            assertInstanceOf(NotLeaderException.class, cluster.awaitFailure(follower.replica.latestRead(C)));

            assertEquals(leader.stateMachine.state().lease().orElseThrow().end(), leader.replica.leaseEnd());
            assertEquals(cluster.log.term(), leader.replica.leaseTerm());
            assertThrows(NotLeaderException.class, follower.replica::leaseEnd);
            assertThrows(NotLeaderException.class, follower.replica::leaseTerm);

            cluster.await(leader.replica.propose(GroupCommand.newBuilder()
                    .setFreezeRange(FreezeRange.newBuilder().setRangeId(RIGHT.getRangeId())).build()));
            CommandRejectedException frozen = assertInstanceOf(CommandRejectedException.class,
                    cluster.awaitFailure(leader.replica.latestRead(keys("n"))));
            assertEquals(RejectReason.REJECT_REASON_RANGE_FROZEN, frozen.reason());
            assertInstanceOf(IllegalArgumentException.class, cluster.awaitFailure(leader.replica.propose(
                    GroupCommand.newBuilder().setPrepare(io.meridian.api.internal.v1.Prepare.getDefaultInstance()).build())));
        }
    }

    private static TxnId txn(long n) {
        return new TxnId(0, n);
    }

    private static Timestamp deadline(SimGroupCluster cluster) {
        return new Timestamp(cluster.scheduler.nowMicros() + 10_000_000);
    }

    private static Mutation put(String key, String value) {
        return new Mutation.Put(bytes(key), bytes(value));
    }

    private static ReadSpec keys(String... keys) {
        return new ReadSpec.Keys(java.util.Arrays.stream(keys).map(SimGroupCluster::bytes).toList());
    }

    private static List<String> values(ReadResult result) {
        return result.rows().stream().map(row -> row.key().toStringUtf8() + "=" + row.value().toStringUtf8()).toList();
    }

    private static long nonLeaseEntries(SimGroupCluster cluster) {
        return cluster.log.entries().stream().filter(entry -> {
            try {
                return !GroupCommand.parseFrom(entry.command()).hasLease();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).count();
    }
}
