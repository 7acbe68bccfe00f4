package io.meridian.server.node;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.NodeId;
import io.meridian.groups.Replica;
import io.meridian.groups.ReplicationHost;
import io.meridian.server.config.DataDirIdentity;
import io.meridian.server.config.HostPort;
import io.meridian.server.config.InitialMember;
import io.meridian.server.config.NodeConfig;
import io.meridian.server.gateway.CommitGateway;
import io.meridian.server.gateway.ReadGateway;
import io.meridian.server.gateway.TransactionRegistry;
import io.meridian.server.routing.ForwardedCall;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.LeaderCache;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.MetaKeyRouter;
import io.meridian.server.routing.NodeLinks;
import io.meridian.server.service.AdminService;
import io.meridian.server.service.DatabaseService;
import io.meridian.server.service.InternalNodeService;
import io.meridian.server.service.MetaProposals;
import io.meridian.server.status.StatusMapper;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.storage.lmdb.LmdbOptions;
import io.meridian.truetime.Clock;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.EpsilonFence;
import io.meridian.truetime.FenceStatus;
import io.meridian.truetime.PeerCheckedTimeSource;
import io.meridian.truetime.StepCheckedTimeSource;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.grpc.TimeMasterService;
import io.meridian.truetime.system.ExecutorScheduler;
import io.meridian.truetime.system.SystemClock;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.TxnOptions;
import io.meridian.txn.TxnParticipant;
import io.meridian.txn.TxnTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Meridian node: the store, TrueTime and its fence, the replication host with this node's
 * group replicas, the gateway and the gRPC server serving {@code Database}, {@code Admin} and
 * {@code NodeService}; and in the background the cluster bootstrap or registration, range
 * maintenance and transaction expiry.
 *
 * <p>{@link #start} builds everything in order and undoes what it built if a step fails;
 * {@link #close()} stops serving first, then stops the background work, the replicas, the host,
 * the links, the timers and the store, in that order. Thread-safe; {@code close} is idempotent.
 */
public final class MeridianNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MeridianNode.class.getName());
    private static final Duration FENCE_CHECK_INTERVAL = Duration.ofMillis(100);
    /** How often a fenced node looks for groups it still leads. */
    private static final Duration STEP_DOWN_INTERVAL = Duration.ofSeconds(1);
    /** How long a fenced leader's hand-over may take. */
    private static final Duration STEP_DOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration META_MAX_AGE = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration TXN_EXPIRY_INTERVAL = Duration.ofSeconds(5);
    /** How often a node given {@code --clock-offset-file} re-reads it. */
    private static final Duration CLOCK_OFFSET_RELOAD = Duration.ofMillis(100);
    private static final Duration TXN_STEP_TIMEOUT = Duration.ofSeconds(10);
    private static final long PARTICIPANT_SYNC_INTERVAL_MICROS = 1_000_000;

    private final NodeConfig config;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private boolean closed;
    /** The node's TrueTime, checked against its peers; set while the node is built. */
    private PeerCheckedTimeSource checkedTime;
    private StepCheckedTimeSource stepCheckedTime;

    private MeridianNode(NodeConfig config) {
        this.config = config;
    }

    /**
     * Builds and starts the node for {@code config} in the data directory {@code identity} claims.
     * Returns once the gRPC server serves; bootstrap or registration continue in the background.
     *
     * @throws IOException when the server cannot bind or a directory cannot be created
     */
    public static MeridianNode start(NodeConfig config, DataDirIdentity identity) throws IOException {
        MeridianNode node = new MeridianNode(config);
        try {
            node.build(identity);
            return node;
        } catch (IOException | RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        synchronized (owned) {
            owned.push(resource);
        }
        return resource;
    }

    private void build(DataDirIdentity identity) throws IOException {
        own(identity); // closed last: the data directory stays locked until everything in it is closed
        NodeEnvironment env = environment();
        GroupsWiring wiring = new GroupsWiring(env);
        ReplicaRegistry replicas = new ReplicaRegistry(wiring);
        ReplicationHost host = own(wiring.newHost(replicas.stateMachineFactory(), new HaltOnFatalError()));
        replicas.attach(host);
        host.start();
        own(replicas);
        replicas.reopenAll();

        NodeLinks links = own(new NodeLinks(config.id(), config.listen().toString()));
        MetaCache meta = new MetaCache(config.id(), replicas::localMeta, links, seeds(config), META_MAX_AGE);
        LeaderCache leaders = new LeaderCache();
        CommandProposer proposer = own(new CommandProposer(env.background()));
        TxnOptions txnOptions = TxnOptions.defaults();
        AtomicReference<TxnTransport> transport = new AtomicReference<>();
        TxnParticipants participants = own(new TxnParticipants(replicas, replica -> new TxnParticipant(replica,
                env.trueTime(), env.scheduler(), request -> transport.get().send(request), txnOptions)));
        LocalNodeOperations local = new LocalNodeOperations(env, replicas, participants, meta, proposer);
        links.bindLocal(local);
        GroupCaller caller = new GroupCaller(config.id(), config.zone(), config.region(), meta, leaders, links,
                replicas::localLeader);
        local.bindCaller(caller);
        transport.set(new NodeTxnTransport(caller, env.background(), TXN_STEP_TIMEOUT));
        TxnDriver driver = new TxnDriver(env.trueTime(), env.scheduler(), new MetaKeyRouter(meta), transport.get(),
                txnOptions, new SecureRandom());
        MetaProposals proposals = new MetaProposals(local);
        StatusMapper mapper = new StatusMapper(meta::addressOf);
        TransactionRegistry txns = new TransactionRegistry(TransactionRegistry.IDLE_TIMEOUT_DEFAULT, System::nanoTime);
        Supplier<Optional<Timestamp>> strongNow = () -> env.fence().nowIfServing().map(TTInterval::latest);

        HealthStatusManager health = healthFollowingTheFence(env.fence());
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.listen().host(), config.listen().port()))
                .executor(env.background())
                .addService(health.getHealthService())
                .addService(new TimeMasterService(config.id().value(), checkedTime::reading))
                .addService(ProtoReflectionServiceV1.newInstance())
                .maxInboundMessageSize(NodeLinks.MESSAGE_SIZE_MAX_BYTES)
                .addService(ServerInterceptors.intercept(new InternalNodeService(local, mapper), ForwardedCall.interceptor()))
                .addService(new DatabaseService(ReadGateway.create(meta, caller, strongNow),
                        new CommitGateway(meta, driver), txns, mapper, strongNow))
                .addService(new AdminService(meta, caller, links, leaders, replicas::localLeader, proposals, mapper,
                        env.background(), new RangeMover(meta, caller, proposals)))
                .build();
        server.start();
        own(() -> stopServing(server));

        new ClusterBootstrap(config, replicas, proposer, identity).start();
        own(new SelfRegistration(config, links, meta, env.background())).start();
        own(new RangeMaintenance(env, replicas, meta, proposals, local)).start();
        own(new PeerClockCheck(config.id().value(), checkedTime, stepCheckedTime, () -> meta.table().meta().getNodesList(),
                configuredPeers(config), env.scheduler(), env.background(), this::isClosed)).start();
        stepDownWhileFenced(env, replicas);
        expireIdleTransactions(env, txns);
        syncParticipants(env, participants);
    }

    /**
     * While the fence holds (ε too wide), hands the leadership of every group this node leads to
     * another replica, checking every second: a fenced leader assigns no timestamps, so its
     * groups would stall until it recovered.
     */
    private void stepDownWhileFenced(NodeEnvironment env, ReplicaRegistry replicas) {
        env.scheduler().schedule(() -> {
            if (isClosed()) {
                return;
            }
            if (env.fence().status() instanceof FenceStatus.Fenced) {
                for (GroupReplica replica : replicas.all()) {
                    if (!replica.log().isLeader()) {
                        continue;
                    }
                    List<NodeId> others = replica.log().members().stream().map(Replica::node)
                            .filter(node -> !node.equals(config.id())).toList();
                    if (!others.isEmpty()) {
                        // A random one each time: a replica that is down or behind refuses, another may not.
                        NodeId target = others.get(ThreadLocalRandom.current().nextInt(others.size()));
                        LOG.warning(config.id() + " is fenced: handing the leadership of " + replica.group()
                                + " to " + target);
                        // Off the timer thread: Ratis may block the caller until it has taken the request.
                        env.background().execute(() -> replica.log().transferLeadership(target, STEP_DOWN_TIMEOUT));
                    }
                }
            }
            stepDownWhileFenced(env, replicas);
        }, STEP_DOWN_INTERVAL);
    }

    /** Gives every new group replica its transaction layer, every second. */
    private void syncParticipants(NodeEnvironment env, TxnParticipants participants) {
        env.scheduler().schedule(() -> {
            if (!isClosed()) {
                participants.sync();
                syncParticipants(env, participants);
            }
        }, PARTICIPANT_SYNC_INTERVAL_MICROS);
    }

    /**
     * The standard gRPC health service: {@code SERVING} while the node's TrueTime uncertainty is
     * within its bound, {@code NOT_SERVING} while the node is fenced.
     */
    private HealthStatusManager healthFollowingTheFence(EpsilonFence fence) {
        HealthStatusManager health = new HealthStatusManager();
        Consumer<FenceStatus> follow = status -> health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                switch (status) {
                    case FenceStatus.Serving serving -> HealthCheckResponse.ServingStatus.SERVING;
                    case FenceStatus.Fenced fenced -> HealthCheckResponse.ServingStatus.NOT_SERVING;
                });
        fence.addListener(follow);
        follow.accept(fence.status());
        own(health::enterTerminalState);
        return health;
    }

    private NodeEnvironment environment() throws IOException {
        Files.createDirectories(config.storeDir());
        Files.createDirectories(config.raftDir());
        LmdbMvccStore store = own(LmdbMvccStore.open(config.storeDir(), LmdbOptions.defaults()));
        ExecutorScheduler scheduler = own(new ExecutorScheduler("meridian-timers", 2));
        Clock clock = config.clockOffsetFile()
                .<Clock>map(file -> SystemClock.withWallOffset(followClockOffset(file, scheduler)))
                .orElse(SystemClock.INSTANCE);
        StepCheckedTimeSource localTime = new StepCheckedTimeSource(clock, config.epsilon());
        // Claims no time until the peers have looked at this clock: a clock wrong from the start shows no step.
        PeerCheckedTimeSource trueTime = PeerCheckedTimeSource.unchecked(localTime);
        checkedTime = trueTime;
        stepCheckedTime = localTime;
        EpsilonFence fence = new EpsilonFence(trueTime, config.maxEpsilon());
        var fenceWatch = fence.watch(scheduler, FENCE_CHECK_INTERVAL);
        own(fenceWatch::cancel);
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        own(background::shutdownNow);
        return new NodeEnvironment(config, store, trueTime, fence, scheduler, new CommitWait(trueTime, scheduler),
                background);
    }

    /**
     * The clock offset in {@code file}, re-read every {@link #CLOCK_OFFSET_RELOAD} until the node
     * closes (fault injection: the chaos harness skews a node's clock this way).
     */
    private ClockOffsetFile followClockOffset(Path file, ExecutorScheduler scheduler) {
        ClockOffsetFile offset = new ClockOffsetFile(file);
        offset.reload();
        reloadClockOffset(offset, scheduler);
        return offset;
    }

    private void reloadClockOffset(ClockOffsetFile offset, ExecutorScheduler scheduler) {
        scheduler.schedule(() -> {
            if (!isClosed()) {
                offset.reload();
                reloadClockOffset(offset, scheduler);
            }
        }, CLOCK_OFFSET_RELOAD);
    }

    /**
     * The other nodes this node's configuration names (initial members, and join seeds, named by
     * their addresses): whom it checks its clock against before the directory names any.
     */
    private static List<NodeRecord> configuredPeers(NodeConfig config) {
        List<NodeRecord> peers = new ArrayList<>();
        for (InitialMember member : config.initialMembers()) {
            if (!member.id().equals(config.id())) {
                peers.add(NodeRecord.newBuilder().setNodeId(member.id().value())
                        .setAddress(member.clientAddress().toString()).build());
            }
        }
        config.join().forEach(seed -> peers.add(NodeRecord.newBuilder().setNodeId(seed.toString())
                .setAddress(seed.toString()).build()));
        return peers;
    }

    /** Every client address this node may ask for the meta state before it knows the registry. */
    private static List<String> seeds(NodeConfig config) {
        List<String> seeds = new ArrayList<>();
        config.join().forEach(seed -> seeds.add(seed.toString()));
        for (InitialMember member : config.initialMembers()) {
            if (!member.id().equals(config.id())) {
                seeds.add(member.clientAddress().toString());
            }
        }
        return seeds;
    }

    private void expireIdleTransactions(NodeEnvironment env, TransactionRegistry txns) {
        env.scheduler().schedule(() -> {
            if (!isClosed()) {
                txns.expireIdle();
                expireIdleTransactions(env, txns);
            }
        }, TXN_EXPIRY_INTERVAL);
    }

    private static void stopServing(Server server) throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
        }
    }

    /** The node's configuration. */
    public NodeConfig config() {
        return config;
    }

    /** The client address the node serves on. */
    public HostPort clientAddress() {
        return config.listen();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops serving, then everything else in reverse order of construction. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        while (true) {
            AutoCloseable next;
            synchronized (owned) {
                next = owned.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(Level.WARNING, "shutting down " + next + " failed", e);
            }
        }
        terminated.countDown();
    }
}
