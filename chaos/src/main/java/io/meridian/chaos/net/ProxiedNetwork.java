package io.meridian.chaos.net;

import io.meridian.chaos.proxy.Direction;
import io.meridian.chaos.proxy.DirectionStats;
import io.meridian.chaos.proxy.FaultProxy;
import io.meridian.chaos.proxy.Link;
import io.meridian.chaos.proxy.LinkFaults;
import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A local cluster's node-to-node network routed through a {@link FaultProxy}, so that links
 * between nodes can be cut, cut one way, slowed or reset while the nodes run: the proxy mode of
 * the chaos harness, which needs no root.
 *
 * <p>Every node is addressed by a host name, {@code <id>.chaos} ({@link #host}), in its
 * addresses ({@code --listen}, {@code --raft}, {@code --initial-members}), so the cluster's
 * metadata and Raft configuration carry names, not ports of a proxy. Each node process resolves
 * names through a hosts file of its own ({@code -Djdk.net.hosts.file}, {@link #jvmFlags}): its own
 * name is {@code 127.0.0.1}, where it listens, and node {@code b}'s name, seen from node
 * {@code a}, is {@code 127.1.a.b}, where the proxy listens on {@code b}'s ports and forwards to
 * {@code 127.0.0.1}. So every ordered pair of nodes has a link per port (client and internal
 * calls, Raft), and a fault set on the links from {@code a} to {@code b} touches only what
 * {@code a} sends to {@code b} and its answers. The harness's own JVM resolves every
 * {@code <id>.chaos} to {@code 127.0.0.1} (the chaos module's {@code loopback.hosts}), so clients
 * are never cut off by the network faults, only by the nodes' behaviour.
 *
 * <p>Nodes are numbered in the order given (1 to 254). Thread-safe.
 */
public final class ProxiedNetwork implements NodeNetwork {

    /** The domain of every node's host name. */
    public static final String DOMAIN = "chaos";

    private final Path hostsDir;
    private final List<String> nodeIds;
    private final FaultProxy proxy;
    /** Links by ordered pair {@code from->to}, both ports. */
    private final Map<String, List<Link>> links = new LinkedHashMap<>();

    private ProxiedNetwork(Path hostsDir, List<String> nodeIds, Random random) {
        this.hostsDir = hostsDir;
        this.nodeIds = List.copyOf(nodeIds);
        this.proxy = new FaultProxy(random);
    }

    /**
     * Writes a hosts file per node under {@code dir} and returns the network, with no link open
     * yet ({@link #open} once the nodes' ports are known).
     *
     * @param dir     where the hosts files go (created if missing)
     * @param nodeIds the nodes, in the order that numbers them
     * @param random  the proxy's randomness (jitter, resets)
     * @throws IOException if a file cannot be written
     */
    public static ProxiedNetwork prepare(Path dir, List<String> nodeIds, Random random) throws IOException {
        if (nodeIds.isEmpty() || nodeIds.size() > 254 || new HashSet<>(nodeIds).size() != nodeIds.size()) {
            throw new IllegalArgumentException("between 1 and 254 distinct nodes: " + nodeIds);
        }
        Files.createDirectories(dir);
        ProxiedNetwork network = new ProxiedNetwork(dir, nodeIds, random);
        for (String node : nodeIds) {
            StringBuilder hosts = new StringBuilder("127.0.0.1 localhost " + network.host(node) + "\n");
            for (String other : nodeIds) {
                if (!other.equals(node)) {
                    hosts.append(network.linkAddress(node, other)).append(' ').append(network.host(other)).append('\n');
                }
            }
            Files.writeString(network.hostsFile(node), hosts, StandardCharsets.US_ASCII);
        }
        return network;
    }

    @Override
    public String mode() {
        return "proxy";
    }

    /** The host name of a node: {@code <id>.chaos}. */
    @Override
    public String host(String nodeId) {
        return nodeId + "." + DOMAIN;
    }

    @Override
    public List<String> launchPrefix(String nodeId) {
        return List.of();
    }

    /** The JVM flags a node needs to resolve names through its own hosts file. */
    @Override
    public List<String> jvmFlags(String nodeId) {
        requireNode(nodeId);
        return List.of("-Djdk.net.hosts.file=" + hostsFile(nodeId).toAbsolutePath());
    }

    /**
     * Opens the links for every ordered pair of the given nodes (their client and Raft ports),
     * before the nodes start: a node's first calls to another go through them.
     *
     * @param nodes the cluster's nodes, with their addresses
     */
    @Override
    public synchronized void open(List<NodeSpec> nodes) {
        for (NodeSpec from : nodes) {
            for (NodeSpec to : nodes) {
                if (from.equals(to)) {
                    continue;
                }
                String pair = from.id() + "->" + to.id();
                if (links.containsKey(pair)) {
                    continue;
                }
                List<Link> pairLinks = new ArrayList<>();
                for (String address : List.of(to.clientAddress(), to.raftAddress())) {
                    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                    pairLinks.add(proxy.open(pair + ":" + port, new InetSocketAddress(linkAddress(from.id(), to.id()), port),
                            new InetSocketAddress("127.0.0.1", port)));
                }
                links.put(pair, pairLinks);
            }
        }
    }

    @Override
    public List<String> nodeIds() {
        return nodeIds;
    }

    /**
     * Cuts what {@code from} sends to {@code to}, and only that: {@code to} still reaches
     * {@code from}, but gets no answer to what it asks (answers travel back on the same
     * connection).
     */
    @Override
    public synchronized void cut(String from, String to) {
        for (Link link : pair(from, to)) {
            link.set(Direction.FORWARD, LinkFaults.blackholed());
        }
        for (Link link : pair(to, from)) {
            link.set(Direction.BACKWARD, LinkFaults.blackholed());
        }
    }

    /** Delays everything between every two nodes by {@code delay} plus up to {@code jitter}, each way. */
    public synchronized void slow(java.time.Duration delay, java.time.Duration jitter) {
        for (List<Link> pairLinks : links.values()) {
            for (Link link : pairLinks) {
                link.set(Direction.BOTH, LinkFaults.delayed(delay, jitter));
            }
        }
    }

    /** Bytes forwarded, and held back by blackholes, by every link, both ways, since they were opened. */
    public DirectionStats stats() {
        DirectionStats sum = new DirectionStats(0, 0, 0);
        for (Link link : proxy.links()) {
            sum = sum.plus(link.stats().direction(Direction.BOTH));
        }
        return sum;
    }

    /** Ends every fault on every link. */
    @Override
    public void heal() {
        proxy.healAll();
    }

    /** Closes every link. */
    @Override
    public void close() {
        proxy.close();
    }

    private List<Link> pair(String from, String to) {
        requireNode(from);
        requireNode(to);
        List<Link> pairLinks = links.get(from + "->" + to);
        if (pairLinks == null) {
            throw new IllegalStateException("no links open from " + from + " to " + to + " (open them first)");
        }
        return pairLinks;
    }

    /** Where the proxy listens for what {@code from} sends to {@code to}: {@code 127.1.<from>.<to>}. */
    private String linkAddress(String from, String to) {
        return "127.1." + number(from) + "." + number(to);
    }

    private int number(String nodeId) {
        return requireNode(nodeId) + 1;
    }

    private int requireNode(String nodeId) {
        int index = nodeIds.indexOf(Objects.requireNonNull(nodeId, "nodeId"));
        if (index < 0) {
            throw new IllegalArgumentException("unknown node " + nodeId + " (nodes: " + nodeIds + ")");
        }
        return index;
    }

    private Path hostsFile(String nodeId) {
        return hostsDir.resolve(nodeId + ".hosts");
    }
}
