package io.meridian.groups;

import java.util.Objects;

/**
 * One member of a group: the node and the address its replication endpoint listens on.
 *
 * @param node the node
 * @param raftAddress {@code host:port} of the node's replication (Raft) endpoint
 */
public record Replica(NodeId node, String raftAddress) {

    public Replica {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(raftAddress, "raftAddress");
    }
}
