package io.meridian.groups;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.v1.KeyRange;
import io.meridian.storage.GroupId;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.EpsilonFence;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TrueTime;
import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A simulated group for tests: several replicas, each with its own LMDB store, drifting clock,
 * TrueTime, fence, {@link RangeStateMachine} and {@link RangeGroupReplica}, over one
 * {@link SimGroupLog} and one {@link SimScheduler} (true time). Everything runs on the test
 * thread; {@link #await} drives the scheduler until a future completes.
 */
final class SimGroupCluster implements AutoCloseable {

    static final GroupId GROUP = new GroupId(3);
    static final long START_MICROS = 1_700_000_000_000_000L;
    static final Duration EPSILON = Duration.ofMillis(1);
    static final Duration REPLICATION_DELAY = Duration.ofMillis(2);
    static final Duration AWAIT_LIMIT = Duration.ofSeconds(60);

    final SimScheduler scheduler = new SimScheduler(START_MICROS);
    final SimGroupLog log;
    final GroupReplicaOptions options;
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** TrueTime as ε around a simulated clock, with ε adjustable (to fence a node). */
    static final class SimTrueTime implements TrueTime {
        private final SimClock clock;
        private long epsilonMicros;

        SimTrueTime(SimClock clock, Duration epsilon) {
            this.clock = clock;
            setEpsilon(epsilon);
        }

        void setEpsilon(Duration epsilon) {
            this.epsilonMicros = TimeUnit.MICROSECONDS.convert(epsilon);
        }

        @Override
        public TTInterval now() {
            return TTInterval.around(clock.nowMicros(), epsilonMicros);
        }
    }

    /** One replica and its node's environment. */
    final class Node {
        final NodeId id;
        final SimClock clock;
        final SimTrueTime trueTime;
        final EpsilonFence fence;
        final CommitWait commitWait;
        LmdbMvccStore store;
        RangeStateMachine stateMachine;
        RangeGroupReplica replica;
        SimGroupLog.Member member;

        Node(NodeId id, Duration skew) {
            this.id = id;
            this.clock = new SimClock(scheduler::nowMicros).setSkew(skew);
            this.trueTime = new SimTrueTime(clock, EPSILON);
            this.fence = new EpsilonFence(trueTime, EpsilonFence.DEFAULT_MAX_EPSILON);
            this.commitWait = new CommitWait(trueTime, scheduler);
            this.store = openStore(id);
            this.stateMachine = new RangeStateMachine(GROUP, store);
            this.member = log.join(id, stateMachine);
            this.replica = new RangeGroupReplica(environment(), member, stateMachine);
        }

        GroupEnvironment environment() {
            return new GroupEnvironment(store, trueTime, scheduler, commitWait, fence, id, options);
        }

        /** Closes the replica and its store, reopens both, and replays the log from the store. */
        void restart() {
            replica.close();
            store.close();
            store = openStore(id);
            stateMachine = new RangeStateMachine(GROUP, store);
            replica = new RangeGroupReplica(environment(), member, stateMachine);
            log.restart(id, stateMachine);
        }
    }

    SimGroupCluster(Path dir, int size) {
        this(dir, size, List.of(), GroupReplicaOptions.defaults());
    }

    /**
     * A cluster of {@code size} nodes {@code n1, n2, ...}; node {@code i} has wall-clock skew
     * {@code skews.get(i)} (zero when absent), which must stay within ε for TrueTime to be honest.
     */
    SimGroupCluster(Path dir, int size, List<Duration> skews, GroupReplicaOptions options) {
        this.dir = dir;
        this.options = options;
        this.log = new SimGroupLog(GROUP, scheduler, REPLICATION_DELAY);
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(new NodeId("n" + (i + 1)), i < skews.size() ? skews.get(i) : Duration.ZERO));
        }
    }

    Node node(int index) {
        return nodes.get(index);
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Elects {@code node}, telling everyone. */
    void elect(Node node) {
        log.elect(node.id);
    }

    /** Elects {@code node}, telling only {@code told}: the others keep believing what they did. */
    void elect(Node node, Set<Node> told) {
        log.elect(node.id, told.stream().map(n -> n.id).collect(java.util.stream.Collectors.toSet()));
    }

    /** Elects node 0, initializes the group with {@code ranges} and waits for node 0's lease. */
    Node start(List<RangeState> ranges) {
        Node leader = node(0);
        elect(leader);
        GroupCommand init = GroupCommand.newBuilder()
                .setInit(InitGroup.newBuilder().setGroupId(GROUP.value()).addAllRanges(ranges)).build();
        CommandReply reply = await(leader.replica.propose(init));
        if (!reply.hasApplied()) {
            fail("init refused: " + reply);
        }
        awaitLease(leader);
        return leader;
    }

    /** Runs the simulation until {@code node} holds its lease. */
    void awaitLease(Node node) {
        runUntil(node.replica::leaseHeld, "lease of " + node.id);
    }

    /** Runs the simulation task by task until {@code condition} holds. */
    void runUntil(BooleanSupplier condition, String what) {
        long deadline = scheduler.nowMicros() + TimeUnit.MICROSECONDS.convert(AWAIT_LIMIT);
        while (!condition.getAsBoolean()) {
            if (scheduler.nowMicros() > deadline || !scheduler.runNext()) {
                fail("simulation never reached: " + what);
            }
        }
    }

    /** Runs the simulation until {@code future} completes; returns its value or throws its failure. */
    <T> T await(CompletableFuture<T> future) {
        runUntil(future::isDone, "completion of a future");
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the simulation until {@code future} completes and returns the exception it failed with. */
    Throwable awaitFailure(CompletableFuture<?> future) {
        runUntil(future::isDone, "completion of a future");
        try {
            future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return fail("expected a failure, got a value");
    }

    /** Runs the simulation for {@code duration} of true time. */
    void runFor(Duration duration) {
        scheduler.runFor(duration);
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.replica.close();
            node.store.close();
        }
    }

    private LmdbMvccStore openStore(NodeId id) {
        return TestStores.open(dir, id.value());
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.ISO_8859_1);
    }

    /** A range of {@link #GROUP} over {@code [start, end)}; empty strings for open ends. */
    static RangeState range(long id, String start, String end) {
        return RangeState.newBuilder().setRangeId(id)
                .setSpan(KeyRange.newBuilder().setStart(bytes(start)).setEnd(bytes(end))).build();
    }
}
