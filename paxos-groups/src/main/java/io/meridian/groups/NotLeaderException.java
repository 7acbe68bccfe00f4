package io.meridian.groups;

import io.meridian.storage.GroupId;
import java.util.Optional;

/**
 * A request that only a group's leader can serve reached another replica. Nothing was done;
 * retrying at the hinted leader is safe.
 */
public final class NotLeaderException extends RuntimeException {

    private final GroupId group;
    private final Optional<NodeId> leaderHint;

    public NotLeaderException(GroupId group, Optional<NodeId> leaderHint) {
        super(group + " is not led by this node"
                + leaderHint.map(leader -> "; its leader is " + leader).orElse("; no leader is known"));
        this.group = group;
        this.leaderHint = leaderHint;
    }

    /** The group. */
    public GroupId group() {
        return group;
    }

    /** The leader as this replica knows it, if any. */
    public Optional<NodeId> leaderHint() {
        return leaderHint;
    }
}
