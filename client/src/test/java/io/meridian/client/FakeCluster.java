package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory stand-in for a Meridian cluster below the SDK's gRPC seam: in-process nodes
 * ({@link FakeNode}) sharing one key-value map, and the routing the Admin service reports
 * (ranges and their leaders, node addresses), which a test sets. It checks no consistency
 * protocol; it exists to script what the SDK's retry, routing and mapping logic sees.
 */
final class FakeCluster implements AutoCloseable {

    /**
     * A stored version.
     *
     * @param value    the value
     * @param micros   its commit timestamp
     */
    record Version(ByteString value, long micros) {
    }

    private final NavigableMap<ByteString, Version> data =
            new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
    private final AtomicLong clockMicros = new AtomicLong(1_000_000);
    private final List<FakeNode> nodes = new ArrayList<>();
    private final List<RangeInfo> ranges = new CopyOnWriteArrayList<>();
    private final AtomicLong listRangesCalls = new AtomicLong();

    /** Starts nodes {@code n1, n2, …} at in-process addresses {@code <prefix>-n1:1, …}. */
    static FakeCluster start(String prefix, int nodeCount) {
        FakeCluster cluster = new FakeCluster();
        for (int i = 1; i <= nodeCount; i++) {
            FakeNode node = new FakeNode(cluster, "n" + i, prefix + "-n" + i + ":" + i);
            try {
                node.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster.nodes.add(node);
        }
        return cluster;
    }

    FakeNode node(int oneBased) {
        return nodes.get(oneBased - 1);
    }

    /** A builder connected to the given nodes over in-process channels, with {@code clock} for retries. */
    MeridianClient.Builder clientBuilder(ManualClock clock, FakeNode... through) {
        return MeridianClient.builder()
                .endpoints(Arrays.stream(through).map(FakeNode::address).toList())
                .channelFactory(address -> InProcessChannelBuilder.forName(address).directExecutor().build())
                .retrySettings(new RetrySettings(Duration.ofMillis(10), Duration.ofSeconds(1),
                        2.0, 0.0))
                .retryClock(clock);
    }

    /** Declares a range {@code [start, end)} led by {@code leader}. */
    void addRange(long rangeId, long groupId, String start, String end, FakeNode leader) {
        ranges.add(RangeInfo.newBuilder().setRange(RangeDescriptor.newBuilder().setRangeId(rangeId)
                .setGroupId(groupId).setLeaderNodeId(leader.nodeId())
                .setSpan(KeyRange.newBuilder().setStart(ByteString.copyFromUtf8(start))
                        .setEnd(ByteString.copyFromUtf8(end)))).setApproximateBytes(-1).build());
    }

    void clearRanges() {
        ranges.clear();
    }

    List<RangeInfo> ranges() {
        listRangesCalls.incrementAndGet();
        return List.copyOf(ranges);
    }

    long listRangesCalls() {
        return listRangesCalls.get();
    }

    List<Node> nodes() {
        return nodes.stream().map(n -> Node.newBuilder().setNodeId(n.nodeId()).setAddress(n.address())
                .setHealth(NodeHealth.NODE_HEALTH_SERVING).build()).toList();
    }

    /** A fresh, strictly increasing timestamp. */
    long now() {
        return clockMicros.incrementAndGet();
    }

    /** Stores {@code value} under {@code key} as committed now. */
    void put(String key, String value) {
        data.put(ByteString.copyFromUtf8(key), new Version(ByteString.copyFromUtf8(value), now()));
    }

    NavigableMap<ByteString, Version> data() {
        return data;
    }

    /** The row of {@code key}, or null. */
    Row row(ByteString key) {
        Version version = data.get(key);
        return version == null ? null : row(key, version);
    }

    static Row row(ByteString key, Version version) {
        return Row.newBuilder().setKey(key).setValue(version.value())
                .setVersionTs(io.meridian.api.v1.Timestamp.newBuilder().setMicros(version.micros())).build();
    }

    /** The stored value of UTF-8 {@code key} as text, or null. */
    String value(String key) {
        Version version = data.get(ByteString.copyFromUtf8(key));
        return version == null ? null : version.value().toStringUtf8();
    }

    @Override
    public void close() {
        nodes.forEach(FakeNode::stop);
    }
}
