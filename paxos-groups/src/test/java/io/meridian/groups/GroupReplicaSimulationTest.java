package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.bytes;
import static io.meridian.groups.SimGroupCluster.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.Write;
import io.meridian.groups.SimGroupCluster.Node;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded run of a three-replica group under random commits, strong reads, follower reads,
 * leader changes (some with the old leader cut off, some losing uncommitted entries), lagging
 * followers and restarts, over clocks skewed within ε. Afterwards the history is checked
 * against a model rebuilt from the log:
 * <ul>
 *   <li>every write in the log applies (none is stale or otherwise refused), and applied write
 *       timestamps strictly increase in log order (invariant 3);</li>
 *   <li>a commit acknowledged before another began has the lower timestamp, and a strong read
 *       is at or above every commit acknowledged before it began (invariant 1);</li>
 *   <li>no acknowledgement before {@code TT.after(ts)} (invariant 2, checked as it happens);</li>
 *   <li>every read at {@code t}, strong or at a follower, returns exactly the model's
 *       versions at {@code t} (invariants 4 and 5);</li>
 *   <li>all replicas hold the same data at the end.</li>
 * </ul>
 * The seed is printed; {@code -Dgroups.seed=N} replays a run and {@code -Dgroups.steps=N}
 * changes its length.
 */
class GroupReplicaSimulationTest {

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
    private static final Duration READ_WAIT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Random random;
    private SimGroupCluster cluster;
    private final List<Ack> acks = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private final Set<NodeId> cutOff = new HashSet<>();
    private Timestamp maxAcked = Timestamp.MIN;
    /** How often each outcome happened, printed so a run shows what it covered. */
    private final Map<String, Integer> tally = new TreeMap<>();

    /** An acknowledged commit: its timestamp and the highest one acknowledged before it began. */
    private record Ack(Timestamp ts, Timestamp ackedBeforeStart) {
    }

    /** A read's answer, and for strong reads the highest commit acknowledged before it began. */
    private record Read(String where, Timestamp readTs, List<ByteString> keys, List<Version> rows,
            Optional<Timestamp> ackedBeforeStart) {
    }

    @Test
    void aSimulatedGroupKeepsItsInvariants() {
        long seed = Long.getLong("groups.seed", new Random().nextLong());
        int steps = Integer.getInteger("groups.steps", 1_500);
        System.out.println("GroupReplicaSimulationTest seed " + seed + " (replay with -Dgroups.seed=" + seed + ")");
        random = new Random(seed);
        List<Duration> skews = List.of(skew(), skew(), skew());
        // Short leases, so that the run spends its time committing rather than waiting out leases.
        GroupReplicaOptions options = GroupReplicaOptions.defaults()
                .withLease(Duration.ofMillis(400), Duration.ofMillis(100));
        cluster = new SimGroupCluster(dir, 3, skews, options);
        int step = 0;
        try {
            cluster.start(List.of(range(1, "", "")));
            for (; step < steps; step++) {
                runOneStep();
            }
            settle();
            check();
            System.out.println("GroupReplicaSimulationTest: " + acks.size() + " commits acknowledged, "
                    + reads.size() + " reads checked, " + cluster.log.entries().size() + " log entries, term "
                    + cluster.log.term() + "; outcomes " + tally);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("seed " + seed + ", step " + step + " failed (replay with -Dgroups.seed="
                    + seed + "): " + e, e);
        } finally {
            cluster.close();
        }
    }

    private void runOneStep() {
        int choice = random.nextInt(100);
        if (choice < 45) {
            commit(leaderOrRandom());
        } else if (choice < 60) {
            strongRead(leaderOrRandom());
        } else if (choice < 77) {
            followerRead(randomNode());
        } else if (choice < 79) {
            changeLeader();
        } else if (choice < 83) {
            Node node = randomNode();
            if (!cutOff.contains(node.id)) {
                cluster.log.pause(node.id);
                cluster.scheduler.schedule(() -> cluster.log.resume(node.id), random.nextInt(500_000));
            }
        } else if (choice < 85) {
            restartAFollower();
        } else if (choice < 87) {
            healPartitions();
        }
        cluster.scheduler.runUntil(cluster.scheduler.nowMicros() + random.nextInt(40_000));
    }

    private void commit(Node node) {
        List<Mutation> mutations = new ArrayList<>();
        for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
            int pick = random.nextInt(10);
            String key = randomKey();
            mutations.add(pick < 6 ? new Mutation.Put(bytes(key), bytes("v" + random.nextInt(1000)))
                    : pick < 9 ? new Mutation.Delete(bytes(key))
                    : new Mutation.DeleteRange(bytes(key), bytes(key + "\u00ff")));
        }
        Timestamp ackedBeforeStart = maxAcked;
        CompletableFuture<Timestamp> commit = node.replica.commit(mutations);
        track(commit.whenComplete((ts, failure) -> {
            if (failure == null) {
                assertTrue(node.trueTime.now().after(ts), "acknowledged before TT.after(" + ts + ")");
                assertTrue(cluster.scheduler.nowMicros() > ts.micros(), "acknowledged before true time passed " + ts);
                acks.add(new Ack(ts, ackedBeforeStart));
                tally.merge("Committed", 1, Integer::sum);
                maxAcked = Timestamp.max(maxAcked, ts);
            } else {
                expectOneOf(failure, NotLeaderException.class, LeaseUnavailableException.class,
                        ReplicationException.class, IllegalStateException.class);
            }
        }));
    }

    private void strongRead(Node node) {
        List<ByteString> keys = randomKeys();
        Timestamp ackedBeforeStart = maxAcked;
        track(node.replica.strongRead(new ReadSpec.Keys(keys)).whenComplete((result, failure) -> {
            if (failure == null) {
                reads.add(new Read("strong at " + node.id, result.readTs(), keys, result.rows(),
                        Optional.of(ackedBeforeStart)));
            } else {
                expectOneOf(failure, NotLeaderException.class, LeaseUnavailableException.class);
            }
        }));
    }

    private void followerRead(Node node) {
        List<ByteString> keys = randomKeys();
        long safe = node.replica.safeTs().micros();
        long from = SimGroupCluster.START_MICROS;
        Timestamp readTs = new Timestamp(from + (long) (random.nextDouble() * (safe + 200_000 - from)));
        CompletableFuture<ReadResult> read = random.nextInt(4) == 0
                ? node.replica.readAtSafeTime(readTs, new ReadSpec.Keys(keys), READ_WAIT)
                : node.replica.readAt(readTs, new ReadSpec.Keys(keys), READ_WAIT);
        track(read.whenComplete((result, failure) -> {
            if (failure == null) {
                assertTrue(!result.readTs().isBefore(readTs), "read below the asked timestamp");
                assertTrue(!result.readTs().isAfter(node.replica.safeTs()), "read above safe time");
                reads.add(new Read("at " + node.id, result.readTs(), keys, result.rows(), Optional.empty()));
            } else {
                expectOneOf(failure, SafeTimeWaitTimeoutException.class, IllegalStateException.class);
            }
        }));
    }

    private void changeLeader() {
        Node next = randomNode();
        Optional<NodeId> old = cluster.log.leader();
        if (random.nextInt(3) == 0) {
            // A leader change that loses what the old leader had not yet committed.
            cluster.log.leader().ifPresent(leader -> commit(nodeOf(leader)));
            cluster.log.dropUncommitted();
        }
        if (old.isPresent() && !old.get().equals(next.id) && random.nextBoolean()) {
            // The old leader is cut off: it applies nothing and does not hear of the election.
            cutOff.add(old.get());
            cluster.log.pause(old.get());
            Set<NodeId> told = cluster.nodes().stream().map(node -> node.id)
                    .filter(id -> !cutOff.contains(id)).collect(Collectors.toSet());
            told.add(next.id);
            cluster.log.elect(next.id, told);
        } else {
            cluster.log.elect(next.id, cluster.nodes().stream().map(node -> node.id)
                    .filter(id -> !cutOff.contains(id)).collect(Collectors.toSet()));
        }
        cutOff.remove(next.id);
    }

    private void healPartitions() {
        for (NodeId node : cutOff) {
            cluster.log.resume(node);
            cluster.log.tell(node);
        }
        cutOff.clear();
    }

    private void restartAFollower() {
        Node node = randomNode();
        if (cluster.log.leader().map(leader -> !leader.equals(node.id)).orElse(true)) {
            node.restart();
            cluster.log.tell(node.id);
        }
    }

    private void settle() {
        healPartitions();
        cluster.nodes().forEach(node -> cluster.log.resume(node.id));
        cluster.runFor(Duration.ofSeconds(10));
        for (CompletableFuture<?> future : pending) {
            assertTrue(future.isDone(), "an operation never completed");
        }
    }

    private void check() {
        TreeMap<String, List<Version>> model = new TreeMap<>();
        Timestamp lastWrite = Timestamp.MIN;
        for (SimGroupLog.Entry entry : cluster.log.entries()) {
            GroupCommand command = parse(entry.command());
            Optional<ByteString> replyBytes = cluster.log.reply(entry.index());
            if (!command.hasWrite() || replyBytes.isEmpty()) {
                continue;
            }
            Write write = command.getWrite();
            CommandReply reply = parseReply(replyBytes.get());
            assertTrue(reply.hasApplied(), "entry " + entry.index() + " refused: " + reply.getRejected());
            Timestamp ts = new Timestamp(write.getCommitTsMicros());
            assertTrue(ts.isAfter(lastWrite), "write timestamps must rise: " + lastWrite + " then " + ts);
            lastWrite = ts;
            applyToModel(model, write, ts);
        }
        for (Ack ack : acks) {
            assertTrue(ack.ts().isAfter(ack.ackedBeforeStart()), "commit at " + ack.ts()
                    + " began after one at " + ack.ackedBeforeStart() + " was acknowledged");
        }
        for (Read read : reads) {
            read.ackedBeforeStart().ifPresent(before -> assertTrue(!read.readTs().isBefore(before),
                    read.where() + " at " + read.readTs() + " misses a commit acknowledged at " + before));
            List<Version> expected = new ArrayList<>();
            for (ByteString key : read.keys()) {
                visible(model, key.toStringUtf8(), read.readTs()).ifPresent(expected::add);
            }
            assertEquals(expected, read.rows(), read.where() + " at " + read.readTs());
        }
        List<Version> reference = scanAll(cluster.node(0));
        for (Node node : cluster.nodes()) {
            assertEquals(reference, scanAll(node), "replica " + node.id + " holds other data");
        }
        assertTrue(acks.size() > 100, "the run acknowledged too few commits to mean anything: " + tally);
    }

    private static void applyToModel(Map<String, List<Version>> model, Write write, Timestamp ts) {
        for (io.meridian.api.v1.Mutation wire : write.getMutationsList()) {
            Mutation mutation = Mutations.toStorage(wire);
            switch (mutation) {
                case Mutation.Put put -> model.computeIfAbsent(put.key().toStringUtf8(), k -> new ArrayList<>())
                        .add(new Version(put.key(), put.value(), ts));
                case Mutation.Delete delete -> tombstone(model, delete.key().toStringUtf8(), ts);
                case Mutation.DeleteRange range -> {
                    for (String key : List.copyOf(model.keySet())) {
                        if (range.span().contains(bytes(key))) {
                            tombstone(model, key, ts);
                        }
                    }
                }
            }
        }
    }

    /** A delete writes a tombstone only over a live key, as the store does. */
    private static void tombstone(Map<String, List<Version>> model, String key, Timestamp ts) {
        List<Version> versions = model.get(key);
        if (versions != null && !versions.isEmpty() && !versions.get(versions.size() - 1).value().equals(TOMBSTONE)) {
            versions.add(new Version(bytes(key), TOMBSTONE, ts));
        }
    }

    /** The model's marker for a tombstone (values in the run never look like it). */
    private static final ByteString TOMBSTONE = ByteString.copyFromUtf8("\u0000<tombstone>");

    private static Optional<Version> visible(Map<String, List<Version>> model, String key, Timestamp ts) {
        Version newest = null;
        for (Version version : model.getOrDefault(key, List.of())) {
            if (!version.ts().isAfter(ts)) {
                newest = version;
            }
        }
        return newest == null || newest.value().equals(TOMBSTONE) ? Optional.empty() : Optional.of(newest);
    }

    private static List<Version> scanAll(Node node) {
        return node.store.scan(KeySpan.ALL, Timestamp.MAX, 1_000, ScanDirection.FORWARD).rows();
    }

    private void track(CompletableFuture<?> future) {
        pending.add(future);
    }

    private void expectOneOf(Throwable failure, Class<?>... allowed) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        tally.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
        for (Class<?> type : allowed) {
            if (type.isInstance(cause)) {
                return;
            }
        }
        throw new AssertionError("unexpected failure", cause);
    }

    private Node randomNode() {
        return cluster.node(random.nextInt(cluster.nodes().size()));
    }

    private Node leaderOrRandom() {
        Optional<NodeId> leader = cluster.log.leader();
        return random.nextInt(5) > 0 && leader.isPresent() ? nodeOf(leader.get()) : randomNode();
    }

    private Node nodeOf(NodeId id) {
        return cluster.nodes().stream().filter(node -> node.id.equals(id)).findFirst().orElseThrow();
    }

    private String randomKey() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    private List<ByteString> randomKeys() {
        List<ByteString> keys = new ArrayList<>();
        for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
            keys.add(bytes(randomKey()));
        }
        return keys;
    }

    private Duration skew() {
        return Duration.ofNanos((random.nextInt(801) - 400) * 1_000L);
    }

    private static GroupCommand parse(ByteString bytes) {
        try {
            return GroupCommand.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static CommandReply parseReply(ByteString bytes) {
        try {
            return CommandReply.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
