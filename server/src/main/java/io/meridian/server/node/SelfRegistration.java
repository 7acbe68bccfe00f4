package io.meridian.server.node;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.server.config.HostPort;
import io.meridian.server.config.NodeConfig;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.NodeLink;
import io.meridian.server.routing.NodeLinks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records this node in the meta group's node registry ({@code upsert_node} with its addresses,
 * region and zone) at every start, retrying until the meta group applies it: through this node
 * (which forwards to the meta leader) when it bootstrapped the cluster, through the
 * {@code --join} seeds otherwise. Skipped when the registry already holds exactly this record.
 * Runs on a virtual thread; stops at {@link #close()}.
 */
final class SelfRegistration implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SelfRegistration.class.getName());
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PAUSE = Duration.ofMillis(500);

    private final NodeConfig config;
    private final NodeLinks links;
    private final MetaCache meta;
    private final ExecutorService background;
    private volatile boolean closed;

    SelfRegistration(NodeConfig config, NodeLinks links, MetaCache meta, ExecutorService background) {
        this.config = config;
        this.links = links;
        this.meta = meta;
        this.background = background;
    }

    /** This node's record. */
    static NodeRecord record(NodeConfig config) {
        return NodeRecord.newBuilder().setNodeId(config.id().value()).setAddress(config.listen().toString())
                .setRaftAddress(config.raft().toString()).setRegion(config.region()).setZone(config.zone()).build();
    }

    /** Starts registering in the background. */
    void start() {
        NodeRecord self = record(config);
        MetaCommand upsert = MetaCommand.newBuilder().setUpsertNode(self).build();
        background.execute(() -> {
            int attempts = 0;
            while (!closed) {
                if (meta.table().node(self.getNodeId()).filter(self::equals).isPresent()) {
                    LOG.fine("this node is registered");
                    return;
                }
                for (NodeLink link : routes()) {
                    if (tryRegister(link, upsert, ++attempts)) {
                        LOG.info(() -> "node " + config.id() + " registered through " + link.target());
                        return;
                    }
                }
                try {
                    Thread.sleep(PAUSE.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private List<NodeLink> routes() {
        List<NodeLink> routes = new ArrayList<>();
        if (config.join().isEmpty()) {
            routes.add(links.local());
        }
        for (HostPort seed : config.join()) {
            routes.add(links.forAddress(seed.toString()));
        }
        return routes;
    }

    private boolean tryRegister(NodeLink link, MetaCommand upsert, int attempt) {
        try {
            CommandReply reply = link.proposeMeta(upsert, Deadline.after(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            return reply.hasApplied();
        } catch (RuntimeException e) {
            Level level = attempt % 20 == 0 ? Level.INFO : Level.FINE;
            LOG.log(level, "registering through " + link.target() + " failed (attempt " + attempt + "): "
                    + Optional.ofNullable(e.getMessage()).orElse(e.toString()));
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
