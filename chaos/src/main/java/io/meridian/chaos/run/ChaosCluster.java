package io.meridian.chaos.run;

import io.meridian.chaos.net.ProxiedNetwork;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.LocalClusterBuilder;
import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A fresh local cluster for chaos runs: node processes in zones, node-to-node traffic through
 * the fault-injecting proxy ({@link ProxiedNetwork}, the mode that needs no root), and the
 * nemeses that can be pointed at it by name. The harness JVM must resolve the nodes' names to
 * loopback ({@code -Djdk.net.hosts.file=chaos/loopback.hosts}, which names {@code n1} to
 * {@code n9}).
 */
public final class ChaosCluster implements AutoCloseable {

    /** The nemeses {@link #nemesis} knows, by name. */
    public static final List<String> NEMESES = List.of("none", "kill", "pause", "partition", "leadership", "ranges");
    /** The most nodes {@code chaos/loopback.hosts} names. */
    public static final int NODES_MAX = 9;

    private final LocalCluster cluster;
    private final ProxiedNetwork network;
    private final List<String> nodeIds;

    private ChaosCluster(LocalCluster cluster, ProxiedNetwork network, List<String> nodeIds) {
        this.cluster = cluster;
        this.network = network;
        this.nodeIds = nodeIds;
    }

    /**
     * Starts {@code nodes} nodes in {@code zones} zones under {@code dir} (deleting what a previous
     * run left there) and waits until every node serves.
     *
     * @throws IOException if a node does not start
     */
    public static ChaosCluster start(Path dir, int nodes, int zones, long seed, Consumer<String> progress)
            throws IOException {
        if (nodes < 1 || nodes > NODES_MAX) {
            throw new IllegalArgumentException("a chaos cluster has 1 to " + NODES_MAX + " nodes: " + nodes);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("n" + i);
        }
        ProxiedNetwork network = ProxiedNetwork.prepare(dir.resolve("hosts"), ids, new Random(seed));
        LocalClusterBuilder builder = LocalCluster.builder(dir.resolve("cluster")).nodes(nodes).zones(zones)
                .fresh(true).nodeHosts(ProxiedNetwork::host).beforeLaunch(network::open).progress(progress);
        for (String id : ids) {
            builder.jvmFlags(id, network.jvmFlags(id));
        }
        LocalCluster cluster = builder.build();
        try {
            cluster.start();
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return new ChaosCluster(cluster, network, List.copyOf(ids));
    }

    /** The cluster's node processes. */
    public LocalCluster cluster() {
        return cluster;
    }

    /** The proxied network between the nodes. */
    public ProxiedNetwork network() {
        return network;
    }

    /** The node ids, {@code n1} first. */
    public List<String> nodeIds() {
        return nodeIds;
    }

    /** Every node's client address. */
    public List<String> clientAddresses() {
        return cluster.nodes().stream().map(NodeSpec::clientAddress).toList();
    }

    /**
     * Shapes the cluster for a workload: splits at {@code splitKeys} and spreads the ranges over
     * {@code groups} groups, each new group on every node (see {@link ClusterShape}).
     */
    public void shape(List<String> splitKeys, int groups) {
        ClusterShape.spread(cluster.clientAddress(nodeIds.get(0)), splitKeys, groups, nodeIds);
    }

    /**
     * The nemesis named {@code name} (one of {@link #NEMESES}) with the harness's default pace:
     * a kill or a pause every 8 s lasting 3 s, a partition every 8 s lasting 4 s, a leadership
     * transfer every 5 s, a range split or move every 6 s (at {@code splitCandidates}).
     */
    public Nemesis nemesis(String name, Random random, List<String> splitCandidates) {
        Duration every = Duration.ofSeconds(8);
        return switch (name) {
            case "none" -> Nemesis.none();
            case "kill" -> new KillNemesis(cluster, random, every, Duration.ofSeconds(3));
            case "pause" -> new PauseNemesis(cluster, random, every, Duration.ofSeconds(3));
            case "partition" -> new PartitionNemesis(network, nodeIds, cluster.clientAddress(nodeIds.get(0)), random,
                    every, Duration.ofSeconds(4));
            case "leadership" -> new LeadershipNemesis(cluster.clientAddress(nodeIds.get(0)), random,
                    Duration.ofSeconds(5));
            case "ranges" -> new RangeNemesis(cluster.clientAddress(nodeIds.get(nodeIds.size() - 1)), splitCandidates,
                    random, Duration.ofSeconds(6));
            default -> throw new IllegalArgumentException("unknown nemesis " + name + "; known: " + NEMESES);
        };
    }

    /** Stops every node, then the proxy. */
    @Override
    public void close() throws IOException {
        try {
            cluster.close();
        } finally {
            network.close();
        }
    }
}
