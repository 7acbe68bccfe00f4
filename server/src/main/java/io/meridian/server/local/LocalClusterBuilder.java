package io.meridian.server.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The options of a {@link LocalCluster}, from {@link LocalCluster#builder(Path)}. Not
 * thread-safe; {@link #build()} takes a copy, so one builder can build several clusters.
 */
public final class LocalClusterBuilder {
    final Path dir;
    int nodeCount = 3;
    int zoneCount = 99;
    ClusterLayout layout;
    boolean fresh;
    int clientPortBase;
    int raftPortBase;
    List<String> nodeFlags = List.of();
    final Map<String, List<String>> flagsByNode = new HashMap<>();
    List<String> jvmFlags = List.of();
    final Map<String, List<String>> jvmFlagsByNode = new HashMap<>();
    final Map<String, List<String>> launchPrefixByNode = new HashMap<>();
    UnaryOperator<String> hostOfNode = id -> LocalCluster.HOST;
    Consumer<List<NodeSpec>> beforeLaunch = nodes -> { };
    NodeCommand command = NodeCommand.fromCurrentJvm();
    Duration startTimeout = Duration.ofSeconds(90);
    Duration stopTimeout = Duration.ofSeconds(15);
    Consumer<String> progress = message -> { };

    LocalClusterBuilder(Path dir) {
        this.dir = dir;
    }

    /**
     * How many nodes a new cluster gets ({@code n1..nN} in zones {@code z1..zN}); ignored when
     * the directory already holds a cluster.
     *
     * @param count at least 1
     * @return this builder
     */
    public LocalClusterBuilder nodes(int count) {
        if (count < 1 || count > 99) {
            throw new IllegalArgumentException("a local cluster has 1 to 99 nodes, not " + count);
        }
        this.nodeCount = count;
        return this;
    }

    /**
     * How many zones a new cluster's nodes are spread over, round robin: node {@code n<k>} is in
     * zone {@code z<((k - 1) mod zones) + 1>} (by default each node has a zone of its own).
     *
     * @param zones at least 1
     * @return this builder
     */
    public LocalClusterBuilder zones(int zones) {
        if (zones < 1) {
            throw new IllegalArgumentException("a local cluster has at least 1 zone, not " + zones);
        }
        this.zoneCount = zones;
        return this;
    }

    /**
     * Exactly these nodes, ids and ports given, instead of {@link #nodes(int)} on free ports.
     *
     * @param layout the nodes
     * @return this builder
     */
    public LocalClusterBuilder layout(ClusterLayout layout) {
        this.layout = layout;
        return this;
    }

    /**
     * Whether to delete what the directory holds before starting, so the cluster starts
     * empty. To keep a mistyped directory from being wiped, {@link #start()} refuses to
     * delete a non-empty directory without {@code cluster.properties}.
     *
     * @param fresh true to start over
     * @return this builder
     */
    public LocalClusterBuilder fresh(boolean fresh) {
        this.fresh = fresh;
        return this;
    }

    /**
     * Fixed ports instead of free ones: node {@code n<k>} listens on {@code clientPortBase + k - 1}
     * and {@code raftPortBase + k - 1}.
     *
     * @param clientPortBase n1's client port
     * @param raftPortBase   n1's Raft port
     * @return this builder
     */
    public LocalClusterBuilder ports(int clientPortBase, int raftPortBase) {
        if (clientPortBase < 1 || raftPortBase < 1 || Math.abs(clientPortBase - raftPortBase) < 100) {
            throw new IllegalArgumentException("port bases must be positive and at least 100 apart");
        }
        this.clientPortBase = clientPortBase;
        this.raftPortBase = raftPortBase;
        return this;
    }

    /**
     * Extra flags for every node, after the ones the cluster sets: e.g.
     * {@code "--epsilon", "0ms"}, split thresholds, election timeouts.
     *
     * @param flags the flags
     * @return this builder
     */
    public LocalClusterBuilder nodeFlags(String... flags) {
        this.nodeFlags = List.of(flags);
        return this;
    }

    /**
     * Extra flags for one node, instead of those of {@link #nodeFlags(String...)}.
     *
     * @param nodeId the node
     * @param flags  its flags
     * @return this builder
     */
    public LocalClusterBuilder nodeFlags(String nodeId, List<String> flags) {
        flagsByNode.put(nodeId, List.copyOf(flags));
        return this;
    }

    /**
     * Extra JVM flags for every node (e.g. {@code -Xmx256m}), after the inherited ones.
     *
     * @param flags the flags
     * @return this builder
     */
    public LocalClusterBuilder jvmFlags(String... flags) {
        this.jvmFlags = List.of(flags);
        return this;
    }

    /**
     * Extra JVM flags for one node, after those of {@link #jvmFlags(String...)}.
     *
     * @param nodeId the node
     * @param flags  its flags, e.g. {@code -Djdk.net.hosts.file=...}
     * @return this builder
     */
    public LocalClusterBuilder jvmFlags(String nodeId, List<String> flags) {
        jvmFlagsByNode.put(nodeId, List.copyOf(flags));
        return this;
    }

    /**
     * A command to run one node's command under, e.g. {@code ip netns exec <namespace>}: the
     * node's process is started as {@code prefix + command}. The prefix must exec the command in
     * its own process (as {@code ip netns exec} does), so that signals reach the node.
     *
     * @param nodeId the node
     * @param prefix the command's prefix
     * @return this builder
     */
    public LocalClusterBuilder launchPrefix(String nodeId, List<String> prefix) {
        launchPrefixByNode.put(nodeId, List.copyOf(prefix));
        return this;
    }

    /**
     * The host each new node's addresses name, by node id, instead of {@code 127.0.0.1}: e.g.
     * {@code n1.chaos}, which the node and its peers resolve for themselves (the chaos harness
     * routes node-to-node traffic through a proxy this way). Ignored for nodes a reused
     * directory already describes.
     *
     * @param hostOfNode the host name of a node id
     * @return this builder
     */
    public LocalClusterBuilder nodeHosts(UnaryOperator<String> hostOfNode) {
        this.hostOfNode = Objects.requireNonNull(hostOfNode, "hostOfNode");
        return this;
    }

    /**
     * Called with the cluster's nodes, their addresses chosen, before any node of
     * {@link LocalCluster#start()} is launched (e.g. to open proxy links on their ports).
     *
     * @param beforeLaunch the callback; a failure fails the start
     * @return this builder
     */
    public LocalClusterBuilder beforeLaunch(Consumer<List<NodeSpec>> beforeLaunch) {
        this.beforeLaunch = Objects.requireNonNull(beforeLaunch, "beforeLaunch");
        return this;
    }

    /**
     * Runs another class's {@code main(["node", flags...])} instead of the node's (tests
     * use a stand-in to exercise the launcher).
     *
     * @param className a class on the current class path
     * @return this builder
     */
    public LocalClusterBuilder mainClass(String className) {
        this.command = new NodeCommand(command.javaBinary(), command.jvmFlags(), command.classPath(), className);
        return this;
    }

    /**
     * How long a node may take to print its serving line (for {@link #start()}: all nodes).
     *
     * @param timeout positive
     * @return this builder
     */
    public LocalClusterBuilder startTimeout(Duration timeout) {
        this.startTimeout = requirePositive(timeout);
        return this;
    }

    /**
     * How long a node may take to exit after SIGTERM before it is killed.
     *
     * @param timeout positive
     * @return this builder
     */
    public LocalClusterBuilder stopTimeout(Duration timeout) {
        this.stopTimeout = requirePositive(timeout);
        return this;
    }

    /**
     * Where to report what the cluster does ("starting n1 ...", the serving lines, "stopping
     * ..."); called on the calling thread or, at exit, on the shutdown hook's thread.
     *
     * @param progress the receiver (default: nowhere)
     * @return this builder
     */
    public LocalClusterBuilder progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    /**
     * The cluster, not started.
     *
     * @return a new cluster
     */
    public LocalCluster build() {
        return new LocalCluster(this);
    }

    private static Duration requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return timeout;
    }
}
