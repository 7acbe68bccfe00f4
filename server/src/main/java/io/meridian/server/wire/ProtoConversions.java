package io.meridian.server.wire;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.Row;
import io.meridian.groups.Mutations;
import io.meridian.groups.NodeId;
import io.meridian.groups.ReadResult;
import io.meridian.groups.ReadSpec;
import io.meridian.groups.Replica;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.StoredVersion;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import io.meridian.txn.TxnWire;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Conversions between wire messages and domain types. Stateless and thread-safe.
 */
public final class ProtoConversions {

    private ProtoConversions() {
    }

    /**
     * The span of a wire key range.
     *
     * @throws IllegalArgumentException when the range is inverted or empty
     * @throws io.meridian.storage.LimitExceededException when a bound is too long
     */
    public static KeySpan span(KeyRange range) {
        return Mutations.span(range);
    }

    /** The wire form of a span. */
    public static KeyRange keyRange(KeySpan span) {
        return Mutations.keyRange(span);
    }

    /**
     * The storage mutation for a wire mutation.
     *
     * @throws IllegalArgumentException when it is empty, has an empty key or an inverted range
     * @throws io.meridian.storage.LimitExceededException when a key or value is too long
     */
    public static Mutation mutation(io.meridian.api.v1.Mutation m) {
        return Mutations.toStorage(m);
    }

    /** The storage mutations for wire mutations, in order. */
    public static List<Mutation> mutations(Collection<io.meridian.api.v1.Mutation> mutations) {
        return mutations.stream().map(ProtoConversions::mutation).toList();
    }

    /** The wire row for a version read. */
    public static Row row(Version version) {
        return TxnWire.row(version);
    }

    /** The answer to a group read: its rows, timestamp and resume key. */
    public static GroupReadResponse groupReadResponse(ReadResult result) {
        GroupReadResponse.Builder response = GroupReadResponse.newBuilder().setReadTsMicros(result.readTs().micros());
        result.rows().forEach(version -> response.addRows(row(version)));
        result.resumeKey().ifPresent(response::setResumeKey);
        return response.build();
    }

    /** The wire form of a timestamp. */
    public static io.meridian.api.v1.Timestamp timestamp(Timestamp ts) {
        return io.meridian.api.v1.Timestamp.newBuilder().setMicros(ts.micros()).build();
    }

    /** The read spec a group read request asks for: its keys, or its range with limit and direction. */
    public static ReadSpec readSpec(GroupReadRequest request) {
        if (request.getKeysCount() > 0) {
            return new ReadSpec.Keys(request.getKeysList());
        }
        return new ReadSpec.Span(span(request.getRange()), (int) request.getLimit(),
                request.getReverse() ? ScanDirection.REVERSE : ScanDirection.FORWARD);
    }

    /** A group member for a node record. */
    public static Replica replica(NodeRecord node) {
        return new Replica(new NodeId(node.getNodeId()), node.getRaftAddress());
    }

    /** A stored version on the wire (range moves copy them). */
    public static io.meridian.api.internal.v1.StoredVersion storedVersion(StoredVersion version) {
        io.meridian.api.internal.v1.StoredVersion.Builder wire = io.meridian.api.internal.v1.StoredVersion.newBuilder()
                .setKey(version.key()).setTsMicros(version.ts().micros()).setTombstone(version.tombstone());
        version.value().ifPresent(wire::setValue);
        return wire.build();
    }

    /** The bytes a wire version counts towards an {@code IngestVersions} batch: key and value. */
    public static long sizeBytes(io.meridian.api.internal.v1.StoredVersion version) {
        return (long) version.getKey().size() + version.getValue().size();
    }

    /** The descriptor of a range as a group holds it. */
    public static RangeDescriptor descriptor(RangeState range, long groupId, List<String> replicas,
            Optional<NodeId> leader) {
        return RangeDescriptor.newBuilder().setRangeId(range.getRangeId()).setSpan(range.getSpan())
                .setGroupId(groupId).setGeneration(range.getGeneration()).addAllReplicaNodeIds(replicas)
                .setLeaderNodeId(leader.map(NodeId::value).orElse("")).build();
    }

    /** The descriptor of a directory entry. */
    public static RangeDescriptor descriptor(DirectoryEntry entry, List<String> replicas, Optional<NodeId> leader) {
        return RangeDescriptor.newBuilder().setRangeId(entry.getRangeId()).setSpan(entry.getSpan())
                .setGroupId(entry.getGroupId()).setGeneration(entry.getGeneration()).addAllReplicaNodeIds(replicas)
                .setLeaderNodeId(leader.map(NodeId::value).orElse("")).build();
    }

    /** The directory entry for a range of a group. */
    public static DirectoryEntry directoryEntry(RangeState range, long groupId) {
        return DirectoryEntry.newBuilder().setRangeId(range.getRangeId()).setSpan(range.getSpan())
                .setGroupId(groupId).setGeneration(range.getGeneration()).build();
    }

    /** The range state of a descriptor (what a group holds). */
    public static RangeState rangeState(RangeDescriptor descriptor) {
        return RangeState.newBuilder().setRangeId(descriptor.getRangeId()).setSpan(descriptor.getSpan())
                .setGeneration(descriptor.getGeneration()).build();
    }

    /** {@code key} followed by a zero byte: the smallest key above {@code key}. */
    public static ByteString successor(ByteString key) {
        return key.concat(ByteString.copyFrom(new byte[] {0}));
    }
}
