package io.meridian.server.routing;

import io.meridian.groups.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader of each group as this gateway last saw it: set when a leader answered, replaced by
 * a {@code NotLeader} hint, forgotten when it stopped answering. A hint, never a promise.
 * Thread-safe.
 */
public final class LeaderCache {

    private final Map<Long, NodeId> leaders = new ConcurrentHashMap<>();

    /** The leader last seen for {@code groupId}. */
    public Optional<NodeId> leader(long groupId) {
        return Optional.ofNullable(leaders.get(groupId));
    }

    /** Records that {@code leader} leads {@code groupId}. */
    public void update(long groupId, NodeId leader) {
        leaders.put(groupId, leader);
    }

    /** Forgets the leader of {@code groupId} if it is still {@code leader}. */
    public void forget(long groupId, NodeId leader) {
        leaders.remove(groupId, leader);
    }
}
