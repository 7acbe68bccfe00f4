package io.meridian.server.config;

import io.meridian.groups.NodeId;
import java.util.Objects;

/**
 * One node of the first cluster, as {@code --initial-members} lists it:
 * {@code id=clientHost:port/raftHost:port}.
 *
 * @param id the node's id
 * @param clientAddress its client (gRPC) endpoint
 * @param raftAddress its Raft endpoint
 */
public record InitialMember(NodeId id, HostPort clientAddress, HostPort raftAddress) {

    public InitialMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(raftAddress, "raftAddress");
    }

    /**
     * Parses {@code id=clientHost:port/raftHost:port}.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static InitialMember parse(String text) {
        String trimmed = text.trim();
        int equals = trimmed.indexOf('=');
        int slash = trimmed.indexOf('/', Math.max(equals, 0));
        if (equals <= 0 || slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not id=clientHost:port/raftHost:port");
        }
        return new InitialMember(new NodeId(trimmed.substring(0, equals)),
                HostPort.parse(trimmed.substring(equals + 1, slash)),
                HostPort.parse(trimmed.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return id + "=" + clientAddress + "/" + raftAddress;
    }
}
