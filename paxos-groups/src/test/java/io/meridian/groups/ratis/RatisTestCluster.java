package io.meridian.groups.ratis;

import com.google.protobuf.ByteString;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.Replica;
import io.meridian.storage.GroupId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Real Ratis hosts in this JVM on 127.0.0.1, each with its own directories under a test's
 * temporary directory and {@link ListStateMachine}s as group state machines. Hosts can be
 * closed and reopened on the same directories and port; fatal errors are recorded.
 */
final class RatisTestCluster implements AutoCloseable {

    /** How long the tests allow for an election (a few election timeouts of the defaults). */
    static final Duration ELECTION_WAIT = Duration.ofSeconds(15);

    /** How long the tests allow for one request (a proposal, a configuration change). */
    static final Duration REQUEST_WAIT = Duration.ofSeconds(30);

    /** A call of a host's {@link FatalErrorHandler}. */
    record FatalError(NodeId node, String what, Throwable cause) {
    }

    private final class Node {
        final RatisOptions options;
        final Map<GroupId, ListStateMachine> machines = new ConcurrentHashMap<>();
        volatile RatisReplicationHost host;

        Node(RatisOptions options) {
            this.options = options;
        }

        void open() {
            Path stateDirectory = root.resolve(options.node().value()).resolve("state");
            RatisReplicationHost opened = new RatisReplicationHost(options,
                    group -> {
                        ListStateMachine machine = new ListStateMachine(group,
                                stateDirectory.resolve(group.value() + ".records"));
                        machines.put(group, machine);
                        return machine;
                    },
                    (what, cause) -> fatalErrors.add(new FatalError(options.node(), what, cause)));
            opened.start();
            host = opened;
        }
    }

    private final Path root;
    private final UnaryOperator<RatisOptions> tweak;
    private final Map<NodeId, Node> nodes = new LinkedHashMap<>();
    private final Queue<FatalError> fatalErrors = new ConcurrentLinkedQueue<>();

    private RatisTestCluster(Path root, UnaryOperator<RatisOptions> tweak) {
        this.root = root;
        this.tweak = tweak;
    }

    /** {@code size} started hosts named {@code n1}, {@code n2}, … with default options. */
    static RatisTestCluster start(Path root, int size) {
        return start(root, size, UnaryOperator.identity());
    }

    /** {@code size} started hosts whose default options {@code tweak} changes. */
    static RatisTestCluster start(Path root, int size, UnaryOperator<RatisOptions> tweak) {
        RatisTestCluster cluster = new RatisTestCluster(root, tweak);
        try {
            for (int i = 0; i < size; i++) {
                cluster.addNode();
            }
        } catch (RuntimeException failure) {
            cluster.close();
            throw failure;
        }
        return cluster;
    }

    /** Starts one more host and returns its node id. */
    synchronized NodeId addNode() {
        NodeId node = new NodeId("n" + (nodes.size() + 1));
        Path directory = root.resolve(node.value()).resolve("raft");
        Node added = new Node(tweak.apply(RatisOptions.defaults(node, "127.0.0.1", freePort(), directory)));
        nodes.put(node, added);
        added.open();
        return node;
    }

    synchronized List<NodeId> nodes() {
        return List.copyOf(nodes.keySet());
    }

    Replica replica(NodeId node) {
        return new Replica(node, nodes.get(node).options.raftAddress());
    }

    List<Replica> replicas(Collection<NodeId> members) {
        return members.stream().map(this::replica).toList();
    }

    /** The running host of {@code node}. */
    RatisReplicationHost host(NodeId node) {
        RatisReplicationHost host = nodes.get(node).host;
        if (host == null) {
            throw new IllegalStateException(node + " is closed");
        }
        return host;
    }

    boolean isRunning(NodeId node) {
        return nodes.get(node).host != null;
    }

    /** The directory Ratis keeps {@code node}'s groups in. */
    Path raftDirectory(NodeId node) {
        return nodes.get(node).options.storageDirectory();
    }

    ReplicatedLog log(NodeId node, GroupId group) {
        return host(node).log(group).orElseThrow(() -> new AssertionError(group + " does not run on " + node));
    }

    /** The state machine {@code node}'s current host created for {@code group}. */
    ListStateMachine machine(NodeId node, GroupId group) {
        ListStateMachine machine = nodes.get(node).machines.get(group);
        if (machine == null) {
            throw new AssertionError(node + " has no state machine for " + group);
        }
        return machine;
    }

    /** Starts {@code group} on each of {@code members} with them as its configuration. */
    void startGroup(GroupId group, List<NodeId> members) {
        List<Replica> replicas = replicas(members);
        for (NodeId member : members) {
            host(member).startGroup(group, replicas);
        }
    }

    /** Waits until exactly one running member of {@code group} leads it and accepts proposals. */
    NodeId awaitLeader(GroupId group) {
        return Await.value(ELECTION_WAIT, "a leader of " + group, () -> {
            List<NodeId> leaders = new ArrayList<>();
            for (NodeId node : nodes()) {
                RatisReplicationHost host = nodes.get(node).host;
                if (host != null && host.log(group).map(ReplicatedLog::isLeader).orElse(false)) {
                    leaders.add(node);
                }
            }
            return leaders.size() == 1 ? Optional.of(leaders.getFirst()) : Optional.empty();
        });
    }

    /**
     * Proposes {@code command} at whichever member leads {@code group}, again at the next leader
     * while the answer is "not leader" (which promises that nothing was done). For tests about
     * something else than leadership, on a machine where leadership may move under load.
     *
     * @return the leader's reply
     */
    ByteString proposeAtLeader(GroupId group, String command) throws Exception {
        return atLeader(group, log -> log.propose(ByteString.copyFromUtf8(command)));
    }

    /** Changes {@code group}'s members at whichever member leads it (a retry restates the goal). */
    void changeMembersAtLeader(GroupId group, List<NodeId> members) throws Exception {
        atLeader(group, log -> log.changeMembers(replicas(members)));
    }

    private <T> T atLeader(GroupId group, Function<ReplicatedLog, CompletableFuture<T>> request) throws Exception {
        long deadline = System.nanoTime() + ELECTION_WAIT.toNanos();
        while (true) {
            try {
                return request.apply(log(awaitLeader(group), group)).get(REQUEST_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException failure) {
                if (!(failure.getCause() instanceof NotLeaderException) || System.nanoTime() - deadline > 0) {
                    throw failure;
                }
            }
        }
    }

    /** Closes {@code node}'s host; its directories stay. */
    void closeHost(NodeId node) {
        Node closing = nodes.get(node);
        RatisReplicationHost host = closing.host;
        closing.host = null;
        host.close();
    }

    /** Opens a new host for {@code node} on its old directories and port, and starts it. */
    void reopenHost(NodeId node) {
        Node reopening = nodes.get(node);
        reopening.machines.clear();
        reopening.open();
    }

    /** The fatal errors reported so far; forgets them. */
    List<FatalError> takeFatalErrors() {
        List<FatalError> taken = new ArrayList<>();
        for (FatalError error; (error = fatalErrors.poll()) != null; ) {
            taken.add(error);
        }
        return taken;
    }

    /** Closes every host, all at once (closing a Ratis server takes about a second). */
    @Override
    public synchronized void close() {
        List<Thread> closers = new ArrayList<>();
        for (Node node : nodes.values()) {
            RatisReplicationHost host = node.host;
            node.host = null;
            if (host != null) {
                closers.add(Thread.ofPlatform().name("close-" + host.self()).start(host::close));
            }
        }
        for (Thread closer : closers) {
            try {
                closer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while closing the cluster", e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
