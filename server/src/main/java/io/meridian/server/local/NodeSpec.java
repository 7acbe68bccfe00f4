package io.meridian.server.local;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who one node of a local cluster is: its id, zone, addresses and, for a node that joined a
 * running cluster, the address it joined through. A node keeps its spec across restarts, so it
 * comes back with the same identity, ports and data directory.
 *
 * @param id            the node id, e.g. {@code n1}: letters, digits, {@code -} and {@code _}
 * @param zone          the zone the node reports, e.g. {@code z1}
 * @param clientAddress {@code host:port} of the node's public gRPC endpoint
 * @param raftAddress   {@code host:port} of the node's Raft endpoint
 * @param joinAddress   the client address of the node this one joined through ({@code --join}),
 *                      or empty for a member of the initial cluster ({@code --initial-members})
 */
public record NodeSpec(String id, String zone, String clientAddress, String raftAddress, String joinAddress) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,/=]+:\\d{1,5}");

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the id is not a plain name or an address is not
     *                                  {@code host:port}
     */
    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(joinAddress, "joinAddress");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("node id must be letters, digits, - or _: '" + id + "'");
        }
        if (!ID.matcher(zone).matches()) {
            throw new IllegalArgumentException("zone must be letters, digits, - or _: '" + zone + "'");
        }
        requireHostPort("client address", clientAddress);
        requireHostPort("raft address", raftAddress);
        if (!joinAddress.isEmpty()) {
            requireHostPort("join address", joinAddress);
        }
    }

    /**
     * A member of the initial cluster.
     *
     * @param id            the node id
     * @param zone          its zone
     * @param clientAddress its client {@code host:port}
     * @param raftAddress   its Raft {@code host:port}
     * @return the spec, with no join address
     */
    public static NodeSpec initialMember(String id, String zone, String clientAddress, String raftAddress) {
        return new NodeSpec(id, zone, clientAddress, raftAddress, "");
    }

    /**
     * Whether this node joined a running cluster rather than founding it.
     *
     * @return true when it starts with {@code --join}
     */
    public boolean joined() {
        return !joinAddress.isEmpty();
    }

    /**
     * This node's entry in {@code --initial-members}: {@code id=client/raft}.
     *
     * @return the entry
     */
    String memberEntry() {
        return id + "=" + clientAddress + "/" + raftAddress;
    }

    private static void requireHostPort(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!HOST_PORT.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be host:port: '" + value + "'");
        }
        int port = Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(what + " has no valid port: '" + value + "'");
        }
    }
}
