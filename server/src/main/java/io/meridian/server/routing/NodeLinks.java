package io.meridian.server.routing;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.groups.NodeId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Links to every node: the in-process link for this node, and for the others links made by a
 * {@link RemoteLinks} factory: in production one shared gRPC channel per remote address, created
 * on first use. Thread-safe. {@link #close()} shuts the channels down.
 */
public final class NodeLinks implements AutoCloseable {

    /** The largest message a node accepts or sends: a 32 MiB commit plus framing. */
    public static final int MESSAGE_SIZE_MAX_BYTES = 64 << 20;

    /** Makes the link to a remote node. */
    @FunctionalInterface
    public interface RemoteLinks {
        /**
         * The link to the node at {@code address}.
         *
         * @param target the node's id, or its address when the id is not known (a seed)
         */
        NodeLink link(String target, String address);
    }

    private final NodeId self;
    private final String selfAddress;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final RemoteLinks remoteLinks;
    private volatile NodeLink local;

    /**
     * Links over gRPC.
     *
     * @param self this node
     * @param selfAddress this node's client address: a link to it is the local one
     */
    public NodeLinks(NodeId self, String selfAddress) {
        this.self = Objects.requireNonNull(self, "self");
        this.selfAddress = Objects.requireNonNull(selfAddress, "selfAddress");
        this.remoteLinks = this::grpcLink;
    }

    /**
     * Links made by {@code remoteLinks} (tests and simulations).
     *
     * @param self this node
     * @param selfAddress this node's client address: a link to it is the local one
     */
    public NodeLinks(NodeId self, String selfAddress, RemoteLinks remoteLinks) {
        this.self = Objects.requireNonNull(self, "self");
        this.selfAddress = Objects.requireNonNull(selfAddress, "selfAddress");
        this.remoteLinks = Objects.requireNonNull(remoteLinks, "remoteLinks");
    }

    /** Sets the in-process link to this node; called once during wiring, before any use. */
    public void bindLocal(NodeLink link) {
        this.local = Objects.requireNonNull(link, "link");
    }

    /** This node. */
    public NodeId selfId() {
        return self;
    }

    /** The in-process link to this node. */
    public NodeLink local() {
        NodeLink link = local;
        if (link == null) {
            throw new IllegalStateException("the local node link is not bound yet");
        }
        return link;
    }

    /** The link to a node of the registry: in-process for this node. */
    public NodeLink forNode(NodeRecord node) {
        if (node.getNodeId().equals(self.value())) {
            return local();
        }
        return remote(node.getNodeId(), node.getAddress());
    }

    /** The link to the node at a client address (a seed), in-process when it is this node's. */
    public NodeLink forAddress(String address) {
        return address.equals(selfAddress) ? local() : remote(address, address);
    }

    private NodeLink remote(String target, String address) {
        return remoteLinks.link(target, address);
    }

    private NodeLink grpcLink(String target, String address) {
        ManagedChannel channel = channels.computeIfAbsent(address, a ->
                Grpc.newChannelBuilder(a, InsecureChannelCredentials.create())
                        .maxInboundMessageSize(MESSAGE_SIZE_MAX_BYTES)
                        .build());
        return new RemoteNodeLink(target, channel);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels.values()) {
            try {
                if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                channel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
