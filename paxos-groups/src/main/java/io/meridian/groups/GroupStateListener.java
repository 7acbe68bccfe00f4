package io.meridian.groups;

import java.util.Optional;

/**
 * Hears what a {@link RangeStateMachine} applies and who leads its group: how a
 * {@link RangeGroupReplica} learns that its safe time advanced or that it became leader.
 *
 * <p>Called on the replication layer's threads: implementations must return quickly, must not
 * block, and must not call back into the state machine's {@code addListener} or
 * {@code leaderChanged}.
 */
public interface GroupStateListener {

    /**
     * The state machine applied a command (or installed a snapshot); {@code state} is its new
     * state. Called on the apply thread, once per applied index, in index order.
     */
    void applied(GroupState state);

    /**
     * The replication layer reported a new leader (or none) in {@code term}. Calls are
     * serialised, in the order the replication layer made them; a listener added after a
     * report receives the latest one on registration.
     */
    void leaderChanged(Optional<NodeId> leader, long term);
}
