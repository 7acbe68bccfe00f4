package io.meridian.groups.ratis;

import io.meridian.groups.NodeId;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.ReplicationHost;
import io.meridian.groups.Replica;
import io.meridian.storage.GroupId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's replication engine on Apache Ratis: one {@code RaftServer} (gRPC transport, listening
 * on {@link RatisOptions#raftAddress()}) hosting one division per group replica (multi-raft).
 *
 * <p><b>Identities.</b> Group {@code n} is the Raft group whose UUID has the ASCII bytes of
 * {@code "meridian"} as its high 64 bits and {@code n} as its low 64 bits (group 7 is
 * {@code 6d657269-6469-616e-0000-000000000007}); a node id is the Raft peer id of the same
 * spelling, and a replica's {@code raftAddress} is the peer's address.
 *
 * <p>Each group replica lives in its own directory under {@link RatisOptions#storageDirectory()},
 * named by the group's UUID. {@link #start()} reopens every such directory, recovering the
 * group's members from its log, and asks the {@link StateMachineFactory} for its state machine.
 * Group state machines are created on Ratis' group-management thread, during {@link #start()}
 * and {@link #startGroup}. A directory named by a UUID that is not a Meridian group fails the
 * start.
 *
 * <p>Thread-safe. Starting and stopping groups are serialized; proposals and reads of the logs
 * run concurrently with them.
 */
public final class RatisReplicationHost implements ReplicationHost {

    private static final Logger LOG = LoggerFactory.getLogger(RatisReplicationHost.class);

    private final RatisOptions options;
    private final StateMachineFactory stateMachineFactory;
    private final FatalErrorHandler fatalErrorHandler;
    /**
     * Runs leadership notifications off Ratis' threads. Ratis calls them while holding its own
     * locks, and the group logic takes its lease lock in them; the same lease lock is held while
     * proposing, which needs Ratis' locks, so delivering them inline can deadlock.
     */
    private final ExecutorService notifier = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("meridian-leader-notify-", 0).factory());
    private final RatisRequests requests;
    private final Map<GroupId, RatisReplicatedLog> logs = new ConcurrentHashMap<>();

    /** Guards {@link #server} and {@link #closed}, and serializes group management. */
    private final Object lock = new Object();
    private RaftServer server;
    private boolean closed;

    /**
     * A host that is not started yet.
     *
     * @param options the node's identity, endpoint, storage and Raft settings
     * @param stateMachineFactory creates the state machine of each group replica
     * @param fatalErrorHandler stops the node when a group state machine fails
     */
    public RatisReplicationHost(RatisOptions options, StateMachineFactory stateMachineFactory,
            FatalErrorHandler fatalErrorHandler) {
        this.options = Objects.requireNonNull(options, "options");
        this.stateMachineFactory = Objects.requireNonNull(stateMachineFactory, "stateMachineFactory");
        this.fatalErrorHandler = Objects.requireNonNull(fatalErrorHandler, "fatalErrorHandler");
        this.requests = new RatisRequests(RatisIds.peerId(options.node()));
    }

    @Override
    public NodeId self() {
        return options.node();
    }

    /** The options this host runs with. */
    public RatisOptions options() {
        return options;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binds the Raft endpoint and returns once every group found on disk has started (its
     * replicas then elect or find a leader in the background). May be called once.
     *
     * @throws UncheckedIOException when the storage directory or a group in it cannot be opened,
     *     or the endpoint cannot be bound
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public void start() {
        synchronized (lock) {
            if (closed || server != null) {
                throw new IllegalStateException(self() + ": the replication host was already "
                        + (closed ? "closed" : "started"));
            }
            RaftServer started = null;
            try {
                Files.createDirectories(options.storageDirectory());
                started = RaftServer.newBuilder()
                        .setServerId(RatisIds.peerId(options.node()))
                        .setProperties(RatisConfiguration.properties(options))
                        .setStateMachineRegistry(this::newStateMachine)
                        .setOption(RaftStorage.StartupOption.RECOVER)
                        .build();
                started.start();
                for (RaftGroupId raftGroup : started.getGroupIds()) {
                    Optional<GroupId> group = RatisIds.groupId(raftGroup);
                    if (group.isPresent()) {
                        logs.put(group.get(), newLog(started, group.get()));
                    }
                }
                server = started;
            } catch (IOException failure) {
                abandon(started);
                throw new UncheckedIOException(self() + ": could not start the replication host in "
                        + options.storageDirectory(), failure);
            } catch (RuntimeException failure) {
                abandon(started);
                throw failure;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Creates the group's directory and starts its division with {@code members} as the
     * initial configuration. A replica already running here is returned as is, whatever
     * {@code members} says.
     *
     * @throws IllegalArgumentException when {@code members} does not include this node
     * @throws UncheckedIOException when Ratis cannot create or start the replica
     */
    @Override
    public ReplicatedLog startGroup(GroupId group, List<Replica> members) {
        if (members.stream().noneMatch(member -> member.node().equals(self()))) {
            throw new IllegalArgumentException(group + ": members " + members + " do not include " + self());
        }
        synchronized (lock) {
            RaftServer running = running();
            RatisReplicatedLog existing = logs.get(group);
            if (existing != null) {
                return existing;
            }
            RaftGroup raftGroup = RaftGroup.valueOf(RatisIds.raftGroupId(group), RatisIds.peers(members));
            try {
                RaftClientReply reply = running.groupManagement(requests.addGroup(raftGroup));
                if (!reply.isSuccess()) {
                    throw new IOException("Ratis refused to add the group", reply.getException());
                }
                RatisReplicatedLog log = newLog(running, group);
                logs.put(group, log);
                return log;
            } catch (IOException failure) {
                throw new UncheckedIOException(self() + ": could not start " + group, failure);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Closes the division and deletes its directory (log, metadata, snapshots). The group
     * state machine's own data is not touched.
     *
     * @throws UncheckedIOException when Ratis cannot remove the replica
     */
    @Override
    public void stopGroup(GroupId group) {
        synchronized (lock) {
            RaftServer running = running();
            RaftGroupId raftGroup = RatisIds.raftGroupId(group);
            if (!contains(running, raftGroup)) {
                logs.remove(group);
                return;
            }
            try {
                RaftClientReply reply = running.groupManagement(requests.removeGroup(raftGroup));
                if (!reply.isSuccess()) {
                    throw new IOException("Ratis refused to remove the group", reply.getException());
                }
            } catch (IOException failure) {
                throw new UncheckedIOException(self() + ": could not stop " + group, failure);
            } finally {
                logs.remove(group);
            }
        }
    }

    @Override
    public Optional<ReplicatedLog> log(GroupId group) {
        return Optional.ofNullable(logs.get(group));
    }

    @Override
    public Set<GroupId> groups() {
        return Set.copyOf(logs.keySet());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Closes every division (each applies what its log has committed, then stops) and the
     * endpoint. Pending proposals fail as ambiguous. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            logs.clear();
            closeQuietly(server);
            server = null;
            notifier.shutdown();
        }
    }

    /** Undoes a start that failed half-way. */
    private void abandon(RaftServer started) {
        closeQuietly(started);
        logs.clear();
    }

    private RaftServer running() {
        if (closed || server == null) {
            throw new IllegalStateException(self() + ": the replication host is " + (closed ? "closed" : "not started"));
        }
        return server;
    }

    private static boolean contains(RaftServer running, RaftGroupId raftGroup) {
        for (RaftGroupId id : running.getGroupIds()) {
            if (id.equals(raftGroup)) {
                return true;
            }
        }
        return false;
    }

    private StateMachine newStateMachine(RaftGroupId raftGroup) {
        GroupId group = RatisIds.groupId(raftGroup).orElseThrow(() -> new IllegalArgumentException(
                self() + ": " + raftGroup + " is not a Meridian group"));
        return new RatisStateMachine(group, stateMachineFactory.create(group), fatalErrorHandler, requests.clientId(),
                notifier);
    }

    private RatisReplicatedLog newLog(RaftServer running, GroupId group) throws IOException {
        RaftServer.Division division = running.getDivision(RatisIds.raftGroupId(group));
        return new RatisReplicatedLog(group, self(), running, division, requests, options);
    }

    private void closeQuietly(RaftServer toClose) {
        if (toClose == null) {
            return;
        }
        try {
            toClose.close();
        } catch (IOException | RuntimeException failure) {
            LOG.warn("{}: closing the Raft server failed", self(), failure);
        }
    }

    @Override
    public String toString() {
        return "RatisReplicationHost[" + self() + " at " + options.raftAddress() + "]";
    }
}
