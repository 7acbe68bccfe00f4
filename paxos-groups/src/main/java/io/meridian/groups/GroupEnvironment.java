package io.meridian.groups;

import io.meridian.storage.MvccStore;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.EpsilonFence;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.TrueTime;
import java.util.Objects;

/**
 * What a node gives each of its group replicas: shared by every replica on the node.
 *
 * @param store the node's store, holding every group's data
 * @param trueTime the node's TrueTime
 * @param scheduler where replicas run their timers (lease renewal, waits) and the reads that
 *     waited for safe time
 * @param commitWait commit wait over {@code trueTime} and {@code scheduler}
 * @param fence the node's ε fence over {@code trueTime}; a fenced node holds no lease
 * @param self this node
 * @param options lease timing and limits
 */
public record GroupEnvironment(MvccStore store, TrueTime trueTime, Scheduler scheduler, CommitWait commitWait,
        EpsilonFence fence, NodeId self, GroupReplicaOptions options) {

    /**
     * Checks the parts are present and that the fence bound is within the options' clock
     * uncertainty, which the lease timing was checked against.
     *
     * @throws IllegalArgumentException when {@code fence.maxEpsilon() > options.maxClockUncertainty()}
     */
    public GroupEnvironment {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(trueTime, "trueTime");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(commitWait, "commitWait");
        Objects.requireNonNull(fence, "fence");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(options, "options");
        if (fence.maxEpsilon().compareTo(options.maxClockUncertainty()) > 0) {
            throw new IllegalArgumentException("the fence lets the node serve with ε up to " + fence.maxEpsilon()
                    + ", above the " + options.maxClockUncertainty() + " the lease options assume");
        }
    }
}
