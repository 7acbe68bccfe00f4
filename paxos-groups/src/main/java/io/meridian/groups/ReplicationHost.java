package io.meridian.groups;

import io.meridian.storage.GroupId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node's replication engine: one Raft server hosting one replica (division) of each group
 * the node holds. Groups whose replicas exist on disk are reopened by {@link #start()}, with
 * state machines from the factory given at construction.
 *
 * <p>Thread-safe.
 */
public interface ReplicationHost extends AutoCloseable {

    /** Creates a state machine for a replica of a group: called at start-up and by {@link #startGroup}. */
    @FunctionalInterface
    interface StateMachineFactory {
        GroupStateMachine create(GroupId group);
    }

    /** This node. */
    NodeId self();

    /** Starts the server and reopens every group replica found on disk. */
    void start();

    /**
     * Starts this node's replica of {@code group} with {@code members} (which include this
     * node). For a new group every member is started the same way; for an existing group the
     * new member starts empty and catches up once the leader adds it with
     * {@link ReplicatedLog#changeMembers}. Idempotent: a replica already running is returned.
     */
    ReplicatedLog startGroup(GroupId group, List<Replica> members);

    /** Stops this node's replica of {@code group} and deletes its log. Idempotent. */
    void stopGroup(GroupId group);

    /** The replica of {@code group} on this node, if it runs here. */
    Optional<ReplicatedLog> log(GroupId group);

    /** The groups with a replica on this node. */
    Set<GroupId> groups();

    /** Stops every replica and the server. */
    @Override
    void close();
}
