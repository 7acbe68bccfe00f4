package io.meridian.groups.ratis;

import io.meridian.groups.NodeId;
import io.meridian.groups.Replica;
import io.meridian.storage.GroupId;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Conversions between Meridian's identities and byte strings and Ratis' own.
 *
 * <p><b>Groups.</b> Group number {@code n} is the Raft group whose UUID has the ASCII bytes of
 * {@code "meridian"} as its most significant 64 bits and {@code n} (two's complement) as its
 * least significant 64 bits: group 7 is {@code 6d657269-6469-616e-0000-000000000007}. The mapping
 * is fixed forever, since a group's directory on disk is named by its UUID. Such UUIDs are not of
 * an RFC 4122 variant; Ratis treats them as opaque.
 *
 * <p><b>Nodes.</b> A node id is the Raft peer id of the same spelling; a replica's
 * {@code raftAddress} is the peer's address.
 */
final class RatisIds {

    /** {@code "meridian"} in ASCII: the high half of every Meridian group's UUID. */
    static final long GROUP_UUID_TAG = 0x6d6572696469616eL;

    private RatisIds() {
    }

    static RaftGroupId raftGroupId(GroupId group) {
        return RaftGroupId.valueOf(new UUID(GROUP_UUID_TAG, group.value()));
    }

    /** The Meridian group of a Raft group, or empty for a Raft group Meridian did not create. */
    static Optional<GroupId> groupId(RaftGroupId raftGroup) {
        UUID uuid = raftGroup.getUuid();
        return uuid.getMostSignificantBits() == GROUP_UUID_TAG
                ? Optional.of(new GroupId(uuid.getLeastSignificantBits()))
                : Optional.empty();
    }

    static RaftPeerId peerId(NodeId node) {
        return RaftPeerId.valueOf(node.value());
    }

    static NodeId nodeId(RaftPeerId peer) {
        return new NodeId(peer.toString());
    }

    static RaftPeer peer(Replica replica) {
        return RaftPeer.newBuilder().setId(peerId(replica.node())).setAddress(replica.raftAddress()).build();
    }

    static List<RaftPeer> peers(Collection<Replica> replicas) {
        return replicas.stream().map(RatisIds::peer).toList();
    }

    static Replica replica(RaftPeer peer) {
        return new Replica(nodeId(peer.getId()), peer.getAddress());
    }

    /** The replicas of {@code peers}, ordered by node id. */
    static List<Replica> replicas(Collection<RaftPeer> peers) {
        return peers.stream().map(RatisIds::replica)
                .sorted(Comparator.comparing(replica -> replica.node().value()))
                .toList();
    }

    /** Ratis' view of Meridian bytes, without copying (both byte strings are immutable). */
    static org.apache.ratis.thirdparty.com.google.protobuf.ByteString toRatis(com.google.protobuf.ByteString bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyByteBuffer());
    }

    /** Meridian's copy of Ratis bytes (log entry buffers may be reused by Ratis). */
    static com.google.protobuf.ByteString copyFromRatis(org.apache.ratis.thirdparty.com.google.protobuf.ByteString bytes) {
        return com.google.protobuf.ByteString.copyFrom(bytes.asReadOnlyByteBuffer());
    }

    /** Meridian's view of Ratis bytes Meridian produced itself, without copying. */
    static com.google.protobuf.ByteString wrapFromRatis(org.apache.ratis.thirdparty.com.google.protobuf.ByteString bytes) {
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyByteBuffer());
    }
}
