package io.meridian.txn.sim;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.groups.GroupReplicaOptions;
import io.meridian.groups.Mutations;
import io.meridian.groups.NodeId;
import io.meridian.groups.SimGroupLog;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.txn.KeyRouter;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.TxnOptions;
import io.meridian.txn.TxnParticipant;
import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The simulated cluster: 3 to 5 nodes, 3 or 4 groups of 3 replicas each serving one or two key
 * ranges, one {@link SimGroupLog} per group, one {@link SimNetwork}, one {@link TxnDriver} per
 * node, all on one {@link SimScheduler} whose time is true time. Built from a {@link SimConfig}
 * and its seed; runs the unchanged protocol code ({@link TxnParticipant}, {@link TxnDriver},
 * {@code RangeGroupReplica}) and offers the faults the run injects: crashes and restarts, leader
 * changes (some cutting the old leader off, some losing uncommitted entries), lagging replicas,
 * partitions, message loss, duplication and delay.
 *
 * <p>Not thread-safe: everything runs on the caller's thread.
 */
final class SimWorld implements AutoCloseable {

    static final long START_MICROS = 1_700_000_000_000_000L;
    static final long INITIAL_BALANCE = 100;

    /** The protocol's timing in the simulation: short, so a run of a few seconds sees many timeouts. */
    static final TxnOptions TXN_OPTIONS = new TxnOptions(Duration.ofMillis(600), Duration.ofMillis(150),
            Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(150),
            Duration.ofMillis(300), Duration.ofMillis(40));
    static final GroupReplicaOptions GROUP_OPTIONS = GroupReplicaOptions.defaults()
            .withLease(Duration.ofMillis(300), Duration.ofMillis(50));

    /** One group: its log, its replicas' nodes (the first led first) and its ranges. */
    record Group(GroupId id, SimGroupLog log, List<SimNode> replicas, List<RangeState> ranges) {
    }

    final SimConfig config;
    final Random random;
    final SimScheduler scheduler = new SimScheduler(START_MICROS);
    final SimNetwork network;
    final KeyRouter router;
    final List<SimNode> nodes = new ArrayList<>();
    final Map<Long, Group> groups = new TreeMap<>();
    final Map<String, TxnDriver> drivers = new TreeMap<>();
    final List<String> accounts = new ArrayList<>();
    final List<String> listKeys = new ArrayList<>();
    final List<Violation> violations = new ArrayList<>();
    private final Map<String, Integer> faultTally = new TreeMap<>();

    SimWorld(SimConfig config, Path dir) {
        this.config = config;
        this.random = new Random(config.seed());
        this.network = new SimNetwork(scheduler, random, new SimNetwork.Nodes() {
            @Override
            public boolean up(NodeId node) {
                return node(node).up();
            }

            @Override
            public int incarnation(NodeId node) {
                return node(node).incarnation();
            }

            @Override
            public Optional<TxnParticipant> participant(NodeId node, GroupId group) {
                return node(node).participant(group);
            }

            @Override
            public List<NodeId> replicas(GroupId group) {
                return groups.get(group.value()).replicas().stream().map(n -> n.id).toList();
            }
        });
        int nodeCount = 3 + random.nextInt(3);
        for (int i = 0; i < nodeCount; i++) {
            NodeId id = new NodeId("n" + (i + 1));
            long epsilonMicros = 500 + random.nextInt(1_500);
            SimClock clock = clock(epsilonMicros, i == 0 && config.clocks() == SimConfig.ClockMode.ONE_CLOCK_OUTSIDE_EPSILON);
            nodes.add(new SimNode(id, clock, epsilonMicros, scheduler, dir, GROUP_OPTIONS, TXN_OPTIONS,
                    network.transportFrom(id)));
        }
        for (int i = 0; i < 6 + random.nextInt(5); i++) {
            accounts.add(String.format("acct/%02d", i));
        }
        for (int i = 0; i < 3 + random.nextInt(3); i++) {
            listKeys.add("list/" + i);
        }
        this.router = placeGroups(3 + random.nextInt(2));
        for (SimNode node : nodes) {
            drivers.put(node.id.value(), new TxnDriver(node.trueTime, scheduler, router, network.transportFrom(node.id),
                    TXN_OPTIONS, new Random(random.nextLong())));
        }
    }

    /**
     * A clock within ε for the whole run (skew up to ε/2, drift up to ε/200 ppm, which is ε/5
     * over 40 s, longer than any run, and a wander up to ε/5), or one running 10 to 30 ε behind
     * true time while claiming ε: its leader then assigns timestamps below ones already
     * acknowledged elsewhere.
     */
    private SimClock clock(long epsilonMicros, boolean outsideEpsilon) {
        SimClock clock = new SimClock(scheduler::nowMicros);
        if (outsideEpsilon) {
            long behind = (10 + random.nextInt(21)) * epsilonMicros;
            return clock.setSkew(Duration.ofNanos(-behind * 1_000));
        }
        long skew = (long) ((random.nextDouble() - 0.5) * epsilonMicros);
        clock.setSkew(Duration.ofNanos(skew * 1_000));
        clock.setDriftPpm((random.nextDouble() * 2 - 1) * epsilonMicros / 200.0);
        clock.setPeriodicDrift(Duration.ofNanos((long) (random.nextDouble() * epsilonMicros / 5) * 1_000),
                Duration.ofMillis(1_000 + random.nextInt(4_000)));
        return clock;
    }

    /**
     * Cuts the keyspace at random workload keys into one range per group plus up to one more
     * each, and gives each group three replicas on distinct nodes; the first node leads the
     * first group (the one whose clock may be wrong).
     */
    private KeyRouter placeGroups(int groupCount) {
        List<String> keys = new ArrayList<>(accounts);
        keys.addAll(listKeys);
        Collections.sort(keys);
        int rangeCount = groupCount + random.nextInt(groupCount + 1);
        List<String> cuts = new ArrayList<>(keys.subList(1, keys.size()));
        Collections.shuffle(cuts, random);
        cuts = new ArrayList<>(cuts.subList(0, rangeCount - 1));
        Collections.sort(cuts);
        List<Integer> owners = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            owners.add(g);
        }
        Collections.shuffle(owners, random);
        while (owners.size() < rangeCount) {
            owners.add(random.nextInt(groupCount));
        }
        Map<Integer, List<RangeState>> rangesOf = new TreeMap<>();
        List<KeyRouter.Piece> pieces = new ArrayList<>();
        for (int r = 0; r < rangeCount; r++) {
            ByteString start = r == 0 ? ByteString.EMPTY : TaggedValue.bytes(cuts.get(r - 1));
            ByteString end = r == rangeCount - 1 ? ByteString.EMPTY : TaggedValue.bytes(cuts.get(r));
            int owner = owners.get(r);
            long groupId = owner + 1;
            List<RangeState> ranges = rangesOf.computeIfAbsent(owner, o -> new ArrayList<>());
            ranges.add(RangeState.newBuilder().setRangeId((groupId << 32) + ranges.size() + 1)
                    .setSpan(Mutations.keyRange(new KeySpan(start, end))).build());
            pieces.add(new KeyRouter.Piece(new GroupId(groupId), new KeySpan(start, end)));
        }
        for (int g = 0; g < groupCount; g++) {
            GroupId id = new GroupId(g + 1);
            List<SimNode> replicas = new ArrayList<>(nodes);
            Collections.shuffle(replicas, random);
            replicas = new ArrayList<>(replicas.subList(0, 3));
            if (g == 0 && !replicas.contains(nodes.get(0))) {
                replicas.set(0, nodes.get(0));
            }
            if (g == 0) {
                replicas.remove(nodes.get(0));
                replicas.add(0, nodes.get(0));
            }
            SimGroupLog log = new SimGroupLog(id, scheduler, Duration.ofNanos((500 + random.nextInt(2_500)) * 1_000L));
            for (SimNode node : replicas) {
                node.host(id, log);
            }
            groups.put(id.value(), new Group(id, log, List.copyOf(replicas), rangesOf.get(g)));
        }
        return new SimKeyRouter(pieces);
    }

    SimNode node(NodeId id) {
        for (SimNode node : nodes) {
            if (node.id.equals(id)) {
                return node;
            }
        }
        throw new IllegalArgumentException("no node " + id);
    }

    /** Elects each group's first replica, initialises the groups, waits for leases, writes the balances. */
    void start() {
        List<CompletableFuture<CommandReply>> inits = new ArrayList<>();
        for (Group group : groups.values()) {
            SimNode leader = group.replicas().get(0);
            group.log().elect(leader.id);
            GroupCommand init = GroupCommand.newBuilder().setInit(InitGroup.newBuilder()
                    .setGroupId(group.id().value()).addAllRanges(group.ranges())).build();
            inits.add(leader.replica(group.id()).orElseThrow().replica.propose(init));
        }
        runUntil(() -> inits.stream().allMatch(CompletableFuture::isDone) && groups.values().stream()
                .allMatch(g -> g.replicas().get(0).replica(g.id()).orElseThrow().replica.leaseHeld()), 5_000_000, "leases");
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (Group group : groups.values()) {
            List<Mutation> balances = new ArrayList<>();
            for (String account : accounts) {
                if (router.groupOf(TaggedValue.bytes(account)).equals(group.id())) {
                    balances.add(new Mutation.Put(TaggedValue.bytes(account),
                            new TaggedValue(Long.toString(INITIAL_BALANCE), AtomicityCheck.INITIAL_TAG).toBytes()));
                }
            }
            if (!balances.isEmpty()) {
                writes.add(group.replicas().get(0).replica(group.id()).orElseThrow().replica.commit(balances));
            }
        }
        runUntil(() -> writes.stream().allMatch(CompletableFuture::isDone), 5_000_000, "initial balances");
        for (CompletableFuture<?> write : writes) {
            write.join();
        }
    }

    /** Runs tasks until {@code condition} holds; fails after {@code limitMicros} of true time. */
    void runUntil(BooleanSupplier condition, long limitMicros, String what) {
        long deadline = scheduler.nowMicros() + limitMicros;
        while (!condition.getAsBoolean()) {
            if (scheduler.nowMicros() > deadline || !scheduler.runNext()) {
                throw new IllegalStateException("the simulation never reached: " + what);
            }
        }
    }

    /** Runs tasks while {@code condition} does not hold, for at most {@code limitMicros}; true if it came to hold. */
    boolean runWhileNot(BooleanSupplier condition, long limitMicros) {
        long deadline = scheduler.nowMicros() + limitMicros;
        while (!condition.getAsBoolean()) {
            if (scheduler.nowMicros() > deadline || !scheduler.runNext()) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    long nowMicros() {
        return scheduler.nowMicros();
    }

    /** A node that is up, for a client to use as its gateway. */
    SimNode gateway() {
        List<SimNode> up = nodes.stream().filter(SimNode::up).toList();
        return up.get(random.nextInt(up.size()));
    }

    TxnDriver driver(SimNode node) {
        return drivers.get(node.id.value());
    }

    void countFault(String what) {
        faultTally.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> faultTally() {
        return Map.copyOf(faultTally);
    }

    /** The group's current leader in the log, if it is up. */
    Optional<SimNode> leader(Group group) {
        return group.log().leader().map(this::node).filter(SimNode::up);
    }

    /** Records a violation for every honest clock whose error is outside its ε now: such a run proves nothing. */
    void checkClocksHonest() {
        if (config.clocks() != SimConfig.ClockMode.HONEST) {
            return;
        }
        for (SimNode node : nodes) {
            if (Math.abs(node.clock.errorMicros()) > node.epsilonMicros) {
                violations.add(new Violation(HistoryChecks.WORLD, node.id + "'s clock is " + node.clock.errorMicros()
                        + "us off, outside its ε of " + node.epsilonMicros + "us: the simulation broke its own bound"));
            }
        }
    }

    @Override
    public void close() {
        for (SimNode node : nodes) {
            node.close();
        }
    }
}
