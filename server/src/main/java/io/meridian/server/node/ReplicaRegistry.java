package io.meridian.server.node;

import io.meridian.api.internal.v1.MetaState;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.GroupStateMachine;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.Replica;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.ReplicationHost;
import io.meridian.storage.GroupId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The group replicas running on this node, by group. It hands the replication host the state
 * machine factory, and builds each {@link GroupReplica} once the host has the group's log.
 *
 * <p>Thread-safe: lookups are lock-free; starting and stopping replicas are serialised.
 */
public final class ReplicaRegistry implements AutoCloseable {

    /** The meta group. */
    public static final GroupId META_GROUP = new GroupId(0);

    private static final Logger LOG = Logger.getLogger(ReplicaRegistry.class.getName());

    private final GroupsWiring wiring;
    private final Map<GroupId, GroupStateMachine> machines = new ConcurrentHashMap<>();
    private final Map<GroupId, GroupReplica> replicas = new ConcurrentHashMap<>();
    private volatile ReplicationHost host;

    ReplicaRegistry(GroupsWiring wiring) {
        this.wiring = Objects.requireNonNull(wiring, "wiring");
    }

    /** The factory the replication host creates state machines with. */
    ReplicationHost.StateMachineFactory stateMachineFactory() {
        return group -> {
            GroupStateMachine machine = wiring.newStateMachine(group);
            machines.put(group, machine);
            return machine;
        };
    }

    /** Attaches the host (once, before {@link #reopenAll}). */
    void attach(ReplicationHost replicationHost) {
        this.host = Objects.requireNonNull(replicationHost, "replicationHost");
    }

    /** Builds the replicas of every group the started host reopened from disk. */
    synchronized void reopenAll() {
        for (GroupId group : host.groups()) {
            host.log(group).ifPresent(log -> replicas.computeIfAbsent(group, g -> build(log)));
        }
    }

    /**
     * Starts this node's replica of {@code group} with {@code members}, or returns the running
     * one. Idempotent.
     */
    public synchronized GroupReplica start(GroupId group, List<Replica> members) {
        GroupReplica running = replicas.get(group);
        if (running != null) {
            return running;
        }
        ReplicatedLog log = host.startGroup(group, members);
        GroupReplica replica = build(log);
        replicas.put(group, replica);
        return replica;
    }

    /** Stops this node's replica of {@code group} and drops its log. Idempotent. */
    public synchronized void stop(GroupId group) {
        GroupReplica replica = replicas.remove(group);
        if (replica != null) {
            replica.close();
        }
        host.stopGroup(group);
        machines.remove(group);
    }

    private GroupReplica build(ReplicatedLog log) {
        GroupStateMachine machine = machines.get(log.group());
        if (machine == null) {
            throw new IllegalStateException("the replication host started " + log.group()
                    + " without asking for its state machine");
        }
        return wiring.newReplica(machine, log);
    }

    /** True when this node's replica of {@code group} runs and has applied the group's {@code InitGroup}. */
    public boolean isInitialized(GroupId group) {
        GroupStateMachine machine = machines.get(group);
        return machine != null && wiring.isInitialized(machine);
    }

    /** This node's replica of {@code group}, if it runs here. */
    public Optional<GroupReplica> get(GroupId group) {
        return Optional.ofNullable(replicas.get(group));
    }

    /**
     * This node's replica of {@code group}.
     *
     * @throws NotLeaderException (no leader hint) when there is none here, so callers try elsewhere
     */
    public GroupReplica require(GroupId group) {
        GroupReplica replica = replicas.get(group);
        if (replica == null) {
            throw new NotLeaderException(group, Optional.empty());
        }
        return replica;
    }

    /** Every replica on this node. */
    public List<GroupReplica> all() {
        return new ArrayList<>(replicas.values());
    }

    /** The meta state this node's meta replica has applied, if it has one. */
    public Optional<MetaState> localMeta() {
        return get(META_GROUP).flatMap(GroupReplica::meta);
    }

    /** The leader this node's replica of {@code groupId} knows of, if it has one. */
    public Optional<NodeId> localLeader(long groupId) {
        return get(new GroupId(groupId)).flatMap(r -> r.log().leader());
    }

    /** Closes every replica (their timers); the host is closed by its owner. */
    @Override
    public synchronized void close() {
        for (GroupReplica replica : replicas.values()) {
            try {
                replica.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the replica of " + replica.group() + " failed", e);
            }
        }
        replicas.clear();
    }
}
