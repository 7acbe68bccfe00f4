package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CreateGroupRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.MoveRangeRequest;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.SplitRangeRequest;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real local cluster for whole-cluster benchmarks and the load generator: separate node JVMs
 * on loopback started with {@link LocalCluster} in a fresh temporary directory, and one gRPC
 * channel per node. Not thread-safe to build or close; the stubs it hands out are.
 */
public final class BenchCluster implements AutoCloseable {

    /** The data group every key lives in until a split. */
    static final long DATA_GROUP = 1;

    private final LocalCluster cluster;
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

    private BenchCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code nodes} nodes, each with {@code nodeFlags}, and waits until group 1 has a leader. */
    public static BenchCluster start(int nodes, String... nodeFlags) throws IOException {
        Path dir = Files.createTempDirectory("meridian-bench-");
        LocalCluster cluster = LocalCluster.builder(dir).nodes(nodes).fresh(true).nodeFlags(nodeFlags).build();
        cluster.start();
        BenchCluster bench = new BenchCluster(cluster);
        for (NodeSpec node : cluster.nodes()) {
            bench.channels.put(node.id(), ManagedChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build());
        }
        bench.awaitLeader(Duration.ofSeconds(60));
        return bench;
    }

    LocalCluster cluster() {
        return cluster;
    }

    /** Every node's client address, {@code host:port}. */
    public List<String> clientAddresses() {
        return cluster.nodes().stream().map(NodeSpec::clientAddress).toList();
    }

    List<String> nodeIds() {
        return new ArrayList<>(channels.keySet());
    }

    DatabaseGrpc.DatabaseBlockingStub database(String nodeId) {
        return DatabaseGrpc.newBlockingStub(channels.get(nodeId));
    }

    /** The data group's leader as the cluster reports it through {@code via}. */
    Optional<String> leader(String via) {
        try {
            for (GroupInfo group : AdminGrpc.newBlockingStub(channels.get(via)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()) {
                if (group.getGroupId() == DATA_GROUP && !group.getLeaderNodeId().isEmpty()) {
                    return Optional.of(group.getLeaderNodeId());
                }
            }
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    String awaitLeader(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (String via : channels.keySet()) {
                if (cluster.isRunning(via)) {
                    Optional<String> leader = leader(via);
                    if (leader.isPresent()) {
                        return leader.get();
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("no leader for group " + DATA_GROUP + " after " + patience);
    }

    /**
     * Spreads the keyspace over {@code groups} data groups: group 1 and {@code groups - 1} new
     * groups on every node, the range {@code [gNN/, gNN+1/)} in the NN-th of them. Returns the
     * key prefix served by each group, in order.
     */
    public List<String> spreadOverGroups(int groups) {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channels.values().iterator().next())
                .withDeadlineAfter(10, TimeUnit.MINUTES);
        List<String> prefixes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            prefixes.add(groupPrefix(g));
        }
        for (int g = 1; g <= groups; g++) {
            admin.splitRange(SplitRangeRequest.newBuilder().setSplitKey(bytes(groupPrefix(g))).build());
        }
        for (int g = 1; g < groups; g++) {
            CreateGroupRequest.Builder create = CreateGroupRequest.newBuilder();
            channels.keySet().forEach(create::addReplicaNodeIds);
            long group = admin.createGroup(create.build()).getGroup().getGroupId();
            ByteString start = bytes(prefixes.get(g));
            long rangeId = admin.listRanges(ListRangesRequest.getDefaultInstance()).getRangesList().stream()
                    .map(RangeInfo::getRange).filter(range -> range.getSpan().getStart().equals(start))
                    .findFirst().orElseThrow().getRangeId();
            admin.moveRange(MoveRangeRequest.newBuilder().setRangeId(rangeId).setTargetGroupId(group).build());
        }
        return prefixes;
    }

    /** The key prefix {@link #spreadOverGroups} gives the {@code g}-th group: {@code g07/}. */
    public static String groupPrefix(int g) {
        return String.format("g%02d/", g);
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channels.values().forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }
}
