package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.groups.NodeId;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The freshest {@link RoutingTable} this node can see: the meta state of its own meta replica
 * when it holds one, otherwise the last answer of {@code GetMeta} from another node, fetched
 * again when older than the maximum age or when a caller found it wrong ({@link #refresh()}).
 *
 * <p>Thread-safe. Fetches are serialised; a failed fetch keeps the previous table.
 */
public final class MetaCache {

    private static final Logger LOG = Logger.getLogger(MetaCache.class.getName());
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    private final NodeId self;
    private final Supplier<Optional<MetaState>> localMeta;
    private final NodeLinks links;
    private final List<String> seeds;
    private final long maxAgeNanos;

    private volatile RoutingTable remote = RoutingTable.EMPTY;
    private volatile long remoteFetchedNanos;
    private volatile RoutingTable lastLocal = RoutingTable.EMPTY;

    /**
     * @param self this node
     * @param localMeta the meta state of this node's meta replica, empty when it has none (or it
     *     has applied no bootstrap yet)
     * @param links links to other nodes
     * @param seeds client addresses to ask when no registered node answers ({@code --join},
     *     {@code --initial-members})
     * @param maxAge how long a fetched table is used before it is fetched again
     */
    public MetaCache(NodeId self, Supplier<Optional<MetaState>> localMeta, NodeLinks links, List<String> seeds,
            Duration maxAge) {
        this.self = Objects.requireNonNull(self, "self");
        this.localMeta = Objects.requireNonNull(localMeta, "localMeta");
        this.links = Objects.requireNonNull(links, "links");
        this.seeds = List.copyOf(seeds);
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The current table: local if this node has a meta replica, else the cached or a fresh fetch. */
    public RoutingTable table() {
        Optional<RoutingTable> local = local();
        if (local.isPresent()) {
            return local.get();
        }
        if (remote.isKnown() && System.nanoTime() - remoteFetchedNanos < maxAgeNanos) {
            return remote;
        }
        return refresh();
    }

    /** Fetches the table again (a caller found the current one wrong) and returns it. */
    public RoutingTable refresh() {
        Optional<RoutingTable> local = local();
        if (local.isPresent()) {
            return local.get();
        }
        return fetch();
    }

    /** The client address of a node, if the current table knows it. */
    public Optional<String> addressOf(NodeId node) {
        RoutingTable current = local().orElse(remote);
        return current.node(node.value()).map(NodeRecord::getAddress);
    }

    private Optional<RoutingTable> local() {
        Optional<MetaState> meta = localMeta.get().filter(m -> !m.getDirectoryList().isEmpty());
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        RoutingTable last = lastLocal;
        if (last.meta() == meta.get()) {
            return Optional.of(last);
        }
        RoutingTable fresh = RoutingTable.of(meta.get());
        lastLocal = fresh;
        return Optional.of(fresh);
    }

    private synchronized RoutingTable fetch() {
        long startedNanos = System.nanoTime();
        if (remote.isKnown() && startedNanos - remoteFetchedNanos < TimeUnit.MILLISECONDS.toNanos(50)) {
            return remote; // another caller fetched it a moment ago
        }
        Set<String> candidates = new LinkedHashSet<>();
        remote.meta().getNodesList().stream().filter(n -> !n.getNodeId().equals(self.value()))
                .forEach(n -> candidates.add(n.getAddress()));
        candidates.addAll(seeds);
        for (String address : candidates) {
            try {
                MetaState meta = links.forAddress(address).getMeta(Deadline.after(FETCH_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS));
                if (!meta.getDirectoryList().isEmpty()) {
                    remote = RoutingTable.of(meta);
                    remoteFetchedNanos = System.nanoTime();
                    return remote;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "GetMeta from " + address + " failed", e);
            }
        }
        return remote;
    }
}
