package io.meridian.server.node;

import io.meridian.groups.GroupReplica;
import io.meridian.groups.NotLeaderException;
import io.meridian.storage.GroupId;
import io.meridian.txn.TxnParticipant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link TxnParticipant} of every group replica on this node: made when the replica
 * appears ({@link #sync} runs every second, and a request for a new replica makes its
 * participant at once, so a new leader resumes its in-doubt transactions without waiting for a
 * request), closed when the replica goes.
 *
 * <p>Thread-safe.
 */
public final class TxnParticipants implements AutoCloseable {

    private final ReplicaRegistry replicas;
    private final Function<GroupReplica, TxnParticipant> factory;
    private final Map<GroupId, Entry> participants = new HashMap<>();
    private boolean closed;

    private record Entry(GroupReplica replica, TxnParticipant participant) {
    }

    TxnParticipants(ReplicaRegistry replicas, Function<GroupReplica, TxnParticipant> factory) {
        this.replicas = Objects.requireNonNull(replicas, "replicas");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The participant of this node's replica of {@code group}.
     *
     * @throws NotLeaderException (no hint) when the group has no replica here
     */
    public TxnParticipant require(GroupId group) {
        GroupReplica replica = replicas.require(group);
        synchronized (this) {
            if (closed) {
                throw new NotLeaderException(group, Optional.empty());
            }
            Entry entry = participants.get(group);
            if (entry == null || entry.replica() != replica) {
                if (entry != null) {
                    entry.participant().close();
                }
                entry = new Entry(replica, factory.apply(replica));
                participants.put(group, entry);
            }
            return entry.participant();
        }
    }

    /** Makes the participants of new replicas and closes those of replicas gone. */
    public void sync() {
        List<GroupReplica> running = replicas.all();
        synchronized (this) {
            if (closed) {
                return;
            }
            Map<GroupId, GroupReplica> byGroup = new HashMap<>();
            running.forEach(replica -> byGroup.put(replica.group(), replica));
            participants.entrySet().removeIf(entry -> {
                if (byGroup.get(entry.getKey()) != entry.getValue().replica()) {
                    entry.getValue().participant().close();
                    return true;
                }
                return false;
            });
        }
        running.forEach(replica -> require(replica.group()));
    }

    @Override
    public synchronized void close() {
        closed = true;
        participants.values().forEach(entry -> entry.participant().close());
        participants.clear();
    }
}
