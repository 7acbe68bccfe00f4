package io.meridian.server.node;

import io.meridian.groups.NodeId;
import io.meridian.server.config.NodeConfig;
import io.meridian.storage.MvccStore;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.EpsilonFence;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.TrueTime;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * A node's environment: what every component of the node shares, passed as one value.
 * Components do not own (close) anything in it; {@link MeridianNode} does.
 *
 * @param config the node's configuration
 * @param store the node's MVCC store, shared by all its group replicas
 * @param trueTime the node's TrueTime
 * @param fence the node's self-fence on TrueTime's uncertainty
 * @param scheduler timers (commit wait, leases, periodic maintenance)
 * @param commitWait commit wait over {@code trueTime} and {@code scheduler}
 * @param background virtual-thread executor for background loops and fan-out calls
 */
public record NodeEnvironment(NodeConfig config, MvccStore store, TrueTime trueTime, EpsilonFence fence,
        Scheduler scheduler, CommitWait commitWait, ExecutorService background) {

    public NodeEnvironment {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(trueTime, "trueTime");
        Objects.requireNonNull(fence, "fence");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(commitWait, "commitWait");
        Objects.requireNonNull(background, "background");
    }

    /** This node. */
    public NodeId self() {
        return config.id();
    }
}
