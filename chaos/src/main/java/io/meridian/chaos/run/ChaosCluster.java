package io.meridian.chaos.run;

import io.meridian.chaos.net.NamespaceNetwork;
import io.meridian.chaos.net.NodeNetwork;
import io.meridian.chaos.net.ProxiedNetwork;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.LocalClusterBuilder;
import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A fresh local cluster for chaos runs: node processes in zones, node-to-node traffic through
 * the fault-injecting proxy ({@link ProxiedNetwork}, the mode that needs no root) or through a
 * network namespace per node ({@link NamespaceNetwork}, root only), and the nemeses that can be
 * pointed at it by name. The harness JVM must resolve the nodes' names
 * ({@code -Djdk.net.hosts.file=chaos/loopback.hosts}, which names {@code n1} to {@code n9} in
 * both modes).
 */
public final class ChaosCluster implements AutoCloseable {

    /** The nemeses {@link #nemesis} knows, by name. */
    public static final List<String> NEMESES = List.of("none", "kill", "pause", "partition", "clock", "leadership",
            "ranges");
    /** The nodes' TrueTime uncertainty (their default {@code --epsilon}); clock skews stay below it. */
    public static final long EPSILON_MICROS = 1_000;
    /** The nodes' fence (their default {@code --max-epsilon}); clock steps beyond it must fence. */
    public static final long MAX_EPSILON_MICROS = 10_000;
    /** The most nodes {@code chaos/loopback.hosts} names. */
    public static final int NODES_MAX = 9;

    private final LocalCluster cluster;
    private final NodeNetwork network;
    private final List<String> nodeIds;
    private final Map<String, Path> clockOffsetFiles;

    private ChaosCluster(LocalCluster cluster, NodeNetwork network, List<String> nodeIds,
            Map<String, Path> clockOffsetFiles) {
        this.cluster = cluster;
        this.network = network;
        this.nodeIds = nodeIds;
        this.clockOffsetFiles = clockOffsetFiles;
    }

    /**
     * Starts {@code nodes} nodes in {@code zones} zones under {@code dir} (deleting what a previous
     * run left there) and waits until every node serves.
     *
     * @throws IOException if a node does not start
     */
    public static ChaosCluster start(Path dir, int nodes, int zones, long seed, Consumer<String> progress)
            throws IOException {
        return start(dir, nodes, zones, seed, progress, NetworkMode.PROXY);
    }

    /** How node-to-node traffic is made faulty. */
    public enum NetworkMode {
        /** Through the fault-injecting proxy on loopback ({@link ProxiedNetwork}); needs no root. */
        PROXY,
        /** A network namespace per node, cuts by blackhole routes ({@link NamespaceNetwork}); root only. */
        NAMESPACES;

        /** The mode named {@code name} ({@code proxy} or {@code namespaces}). */
        public static NetworkMode named(String name) {
            return switch (name) {
                case "proxy" -> PROXY;
                case "namespaces" -> NAMESPACES;
                default -> throw new IllegalArgumentException("the network mode is proxy or namespaces: " + name);
            };
        }
    }

    /**
     * Starts {@code nodes} nodes in {@code zones} zones under {@code dir} with node-to-node traffic
     * in {@code mode}, and waits until every node serves.
     *
     * @throws IOException if a node does not start
     * @throws IllegalStateException if {@code mode} cannot run here (namespaces without root)
     */
    public static ChaosCluster start(Path dir, int nodes, int zones, long seed, Consumer<String> progress,
            NetworkMode mode) throws IOException {
        if (nodes < 1 || nodes > NODES_MAX) {
            throw new IllegalArgumentException("a chaos cluster has 1 to " + NODES_MAX + " nodes: " + nodes);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("n" + i);
        }
        NodeNetwork network;
        if (mode == NetworkMode.NAMESPACES) {
            NamespaceNetwork.unavailableBecause().ifPresent(why -> {
                throw new IllegalStateException(why);
            });
            network = NamespaceNetwork.prepare(dir.resolve("hosts"), ids);
        } else {
            network = ProxiedNetwork.prepare(dir.resolve("hosts"), ids, new Random(seed));
        }
        LocalClusterBuilder builder = LocalCluster.builder(dir.resolve("cluster")).nodes(nodes).zones(zones)
                .fresh(true).nodeHosts(network::host).beforeLaunch(network::open).progress(progress);
        Path clocks = Files.createDirectories(dir.resolve("clock"));
        Map<String, Path> clockOffsetFiles = new LinkedHashMap<>();
        for (String id : ids) {
            builder.jvmFlags(id, network.jvmFlags(id));
            builder.launchPrefix(id, network.launchPrefix(id));
            Path offset = clocks.resolve(id + ".offset");
            Files.deleteIfExists(offset);
            clockOffsetFiles.put(id, offset);
            builder.nodeFlags(id, List.of("--clock-offset-file", offset.toAbsolutePath().toString()));
        }
        LocalCluster cluster = builder.build();
        try {
            cluster.start();
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return new ChaosCluster(cluster, network, List.copyOf(ids), Map.copyOf(clockOffsetFiles));
    }

    /** The cluster's node processes. */
    public LocalCluster cluster() {
        return cluster;
    }

    /** The network between the nodes. */
    public NodeNetwork network() {
        return network;
    }

    /** The node ids, {@code n1} first. */
    public List<String> nodeIds() {
        return nodeIds;
    }

    /**
     * Moves a node's clock by {@code offsetMicros} from now on (0 puts it right), through its
     * time source (see {@link ClockNemesis}).
     */
    public void setClockOffset(String nodeId, long offsetMicros) throws IOException {
        Path file = clockOffsetFiles.get(nodeId);
        if (file == null) {
            throw new IllegalArgumentException("unknown node " + nodeId);
        }
        ClockNemesis.write(file, offsetMicros);
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
     * How often faults come and how long each lasts.
     *
     * @param interval time from one fault to the next
     * @param duration how long a kill, pause, partition or clock skew lasts; shorter than the interval
     */
    public record Pace(Duration interval, Duration duration) {
        /** The pace of {@code bin/meridian chaos} and the long matrix: a fault every 8 s, lasting 4 s. */
        public static final Pace DEFAULT = new Pace(Duration.ofSeconds(8), Duration.ofSeconds(4));
    }

    /**
     * The nemesis named {@code name} (one of {@link #NEMESES}) at {@code pace}: kills, pauses,
     * partitions and clock skews (up to 0.8 ε either way) come every interval and last the
     * duration; leadership transfers and range splits or moves (at {@code splitCandidates}) come
     * every interval.
     */
    public Nemesis nemesis(String name, Random random, List<String> splitCandidates, Pace pace) {
        Duration every = pace.interval();
        Duration lasting = pace.duration();
        return switch (name) {
            case "none" -> Nemesis.none();
            case "kill" -> new KillNemesis(cluster, random, every, lasting);
            case "pause" -> new PauseNemesis(cluster, random, every, lasting);
            case "partition" -> new PartitionNemesis(network, nodeIds, cluster.clientAddress(nodeIds.get(0)), random,
                    every, lasting);
            case "clock" -> new ClockNemesis(clockOffsetFiles, cluster::clientAddress, random, every, lasting,
                    EPSILON_MICROS * 8 / 10, MAX_EPSILON_MICROS);
            case "leadership" -> new LeadershipNemesis(cluster.clientAddress(nodeIds.get(0)), random, every);
            case "ranges" -> new RangeNemesis(cluster.clientAddress(nodeIds.get(nodeIds.size() - 1)), splitCandidates,
                    random, every);
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
