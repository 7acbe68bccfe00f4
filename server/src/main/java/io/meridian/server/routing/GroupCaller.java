package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.NodeUnreachableException;
import io.meridian.server.status.RequestFailedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one operation on a group at its leader or at its nearest replica, retrying what is safe
 * to retry inside the call's deadline: a {@code NotLeader} answer goes to the hinted leader (or
 * the next replica), an unavailable lease and an unreachable node are retried after a short
 * backoff. Anything else propagates, and a commit whose request may have reached a node that
 * then failed to answer is never retried: its {@link NodeUnreachableException} propagates and
 * becomes {@code UNKNOWN}.
 *
 * <p>Thread-safe; each call runs on the caller's (virtual) thread.
 */
public final class GroupCaller {

    /** Attempts at most per call, whatever the deadline. */
    public static final int ATTEMPTS_MAX = 12;

    /** One attempt of an operation at one node. */
    @FunctionalInterface
    public interface Operation<T> {
        /** Runs the operation through {@code link} within {@code deadline}. */
        T call(NodeLink link, Deadline deadline);
    }

    private final NodeId self;
    private final String zone;
    private final String region;
    private final MetaCache meta;
    private final LeaderCache leaders;
    private final NodeLinks links;
    private final Function<Long, Optional<NodeId>> localLeader;

    /**
     * @param self this node
     * @param zone this node's zone (for nearest-replica reads)
     * @param region this node's region
     * @param meta the routing tables
     * @param leaders the leader cache, updated by every call
     * @param links links to the nodes
     * @param localLeader the leader this node's replica of a group knows of, if it has one
     */
    public GroupCaller(NodeId self, String zone, String region, MetaCache meta, LeaderCache leaders,
            NodeLinks links, Function<Long, Optional<NodeId>> localLeader) {
        this.self = Objects.requireNonNull(self, "self");
        this.zone = zone;
        this.region = region;
        this.meta = meta;
        this.leaders = leaders;
        this.links = links;
        this.localLeader = localLeader;
    }

    /**
     * Runs {@code op} at the leader of {@code groupId}.
     *
     * @throws NodeUnreachableException for a {@link CallKind#COMMIT} whose outcome is unknown
     * @throws RequestFailedException when no leader answered in time
     */
    public <T> T atLeader(long groupId, CallKind kind, Deadline deadline, Operation<T> op) {
        RoutingTable table = meta.table();
        List<NodeRecord> members = members(groupId, table);
        Optional<NodeId> next = leaders.leader(groupId).or(() -> localLeader.apply(groupId));
        Backoff backoff = new Backoff();
        RuntimeException last = null;
        int rotation = 0;
        for (int attempt = 0; attempt < ATTEMPTS_MAX && !deadline.isExpired(); attempt++) {
            Optional<NodeRecord> hinted = next.flatMap(id -> find(id, members, table));
            NodeRecord target = hinted.isPresent() ? hinted.get() : members.get(rotation++ % members.size());
            next = Optional.empty();
            NodeId targetId = new NodeId(target.getNodeId());
            try {
                T result = op.call(links.forNode(target), deadline);
                leaders.update(groupId, targetId);
                return result;
            } catch (NotLeaderException e) {
                leaders.forget(groupId, targetId);
                last = e;
                Optional<NodeId> hint = e.leaderHint().filter(h -> !h.equals(targetId));
                if (hint.isPresent() && find(hint.get(), members, table).isPresent()) {
                    next = hint;
                } else {
                    backoff.pause(deadline);
                }
            } catch (LeaseUnavailableException e) {
                last = e;
                next = Optional.of(targetId);
                backoff.pause(deadline);
            } catch (NodeUnreachableException e) {
                leaders.forget(groupId, targetId);
                if (kind == CallKind.COMMIT && !e.certainlyNotDelivered()) {
                    throw e;
                }
                last = e;
                backoff.pause(deadline);
            }
        }
        throw exhausted(groupId, "leader", kind, last);
    }

    /**
     * Runs the read {@code op} at the nearest replica of {@code groupId} that answers: this node,
     * then its zone, its region, the rest.
     */
    public <T> T atNearest(long groupId, Deadline deadline, Operation<T> op) {
        RoutingTable table = meta.table();
        List<NodeRecord> candidates = nearestFirst(members(groupId, table));
        Backoff backoff = new Backoff();
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS_MAX && !deadline.isExpired(); attempt++) {
            NodeRecord target = candidates.get(attempt % candidates.size());
            try {
                return op.call(links.forNode(target), deadline);
            } catch (NotLeaderException | LeaseUnavailableException | NodeUnreachableException e) {
                // No replica there (yet), or it cannot serve: the next one may.
                last = e;
                if ((attempt + 1) % candidates.size() == 0) {
                    backoff.pause(deadline);
                }
            }
        }
        throw exhausted(groupId, "replica", CallKind.READ, last);
    }

    /** The group's members, nearest first, for callers that walk them themselves. */
    public List<NodeRecord> nearestFirst(List<NodeRecord> members) {
        List<NodeRecord> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparingInt(this::distance));
        return ordered;
    }

    private int distance(NodeRecord node) {
        if (node.getNodeId().equals(self.value())) {
            return 0;
        }
        if (node.getZone().equals(zone) && node.getRegion().equals(region)) {
            return 1;
        }
        return node.getRegion().equals(region) ? 2 : 3;
    }

    private List<NodeRecord> members(long groupId, RoutingTable table) {
        List<NodeRecord> members = table.members(groupId);
        if (members.isEmpty()) {
            members = meta.refresh().members(groupId);
        }
        if (members.isEmpty()) {
            throw new RequestFailedException(ErrorReason.UNAVAILABLE,
                    "group " + groupId + " has no known replicas (the cluster directory is not reachable from this node)");
        }
        return members;
    }

    private static Optional<NodeRecord> find(NodeId id, List<NodeRecord> members, RoutingTable table) {
        return members.stream().filter(m -> m.getNodeId().equals(id.value())).findFirst()
                .or(() -> table.node(id.value()));
    }

    private static RuntimeException exhausted(long groupId, String what, CallKind kind, RuntimeException last) {
        if (last instanceof NodeUnreachableException && kind == CallKind.COMMIT) {
            return last;
        }
        if (last == null) {
            // Nothing was sent: for a commit that is a definite failure, not an unknown outcome.
            return new RequestFailedException(kind == CallKind.COMMIT ? ErrorReason.UNAVAILABLE : ErrorReason.DEADLINE,
                    "the deadline passed before group " + groupId + "'s " + what + " was reached");
        }
        if (last instanceof NotLeaderException || last instanceof LeaseUnavailableException) {
            return last;
        }
        return new RequestFailedException(ErrorReason.UNAVAILABLE,
                "no " + what + " of group " + groupId + " answered: " + last.getMessage(), last);
    }
}
