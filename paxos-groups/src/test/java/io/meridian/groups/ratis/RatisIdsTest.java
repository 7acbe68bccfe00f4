package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.groups.NodeId;
import io.meridian.groups.Replica;
import io.meridian.storage.GroupId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;

/**
 * Shows the fixed identity mapping between Meridian and Ratis: a group number is readable in its
 * Raft group's UUID (which names the group's directory) and maps back exactly, for every long;
 * UUIDs Meridian did not make map to no group; nodes and replicas keep their spelling.
 */
class RatisIdsTest {

    @Test
    void aGroupsUuidCarriesItsNumberAfterTheMeridianTag() {
        assertEquals(UUID.fromString("6d657269-6469-616e-0000-000000000007"),
                RatisIds.raftGroupId(new GroupId(7)).getUuid());
        assertEquals(UUID.fromString("6d657269-6469-616e-ffff-ffffffffffff"),
                RatisIds.raftGroupId(new GroupId(-1)).getUuid());
    }

    @Test
    void everyGroupNumberMapsBackExactly() {
        for (long number : new long[] {0, 1, 42, -1, -13, Long.MAX_VALUE, Long.MIN_VALUE}) {
            GroupId group = new GroupId(number);
            assertEquals(Optional.of(group), RatisIds.groupId(RatisIds.raftGroupId(group)));
        }
    }

    @Test
    void aRaftGroupMeridianDidNotMakeIsNoGroup() {
        assertEquals(Optional.empty(), RatisIds.groupId(RaftGroupId.valueOf(
                UUID.fromString("123e4567-e89b-42d3-a456-426614174000"))));
        assertEquals(Optional.empty(), RatisIds.groupId(RaftGroupId.emptyGroupId()));
    }

    @Test
    void nodesAndReplicasKeepTheirSpelling() {
        Replica replica = new Replica(new NodeId("zone-a_7"), "10.0.0.7:9870");
        RaftPeer peer = RatisIds.peer(replica);
        assertEquals("zone-a_7", peer.getId().toString());
        assertEquals("10.0.0.7:9870", peer.getAddress());
        assertEquals(replica, RatisIds.replica(peer));

        Replica other = new Replica(new NodeId("a"), "10.0.0.1:9870");
        assertEquals(List.of(other, replica), RatisIds.replicas(RatisIds.peers(List.of(replica, other))));
    }
}
