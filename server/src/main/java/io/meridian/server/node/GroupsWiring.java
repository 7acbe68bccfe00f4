package io.meridian.server.node;

import io.meridian.groups.GroupEnvironment;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.GroupReplicaOptions;
import io.meridian.groups.RangeGroupReplica;
import io.meridian.groups.RangeStateMachine;
import io.meridian.groups.GroupStateMachine;
import io.meridian.groups.ReplicatedLog;
import io.meridian.groups.ReplicationHost;
import io.meridian.groups.ratis.FatalErrorHandler;
import io.meridian.groups.ratis.RatisOptions;
import io.meridian.groups.ratis.RatisReplicationHost;
import io.meridian.server.config.NodeConfig;
import io.meridian.storage.GroupId;
import java.time.Duration;
import java.util.Objects;

/**
 * The one place that constructs the groups layer's implementations for a node: the Ratis
 * replication host, and per group the state machine and the replica over it. Everything else in
 * the server sees only the {@code io.meridian.groups} interfaces.
 *
 * <p>Thread-safe (stateless apart from the environment).
 */
final class GroupsWiring {

    private final NodeEnvironment env;
    private final GroupEnvironment groupEnv;

    GroupsWiring(NodeEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
        this.groupEnv = new GroupEnvironment(env.store(), env.trueTime(), env.scheduler(), env.commitWait(),
                env.fence(), env.self(), replicaOptions(env.config().maxEpsilon()));
    }

    /**
     * The replicas' lease options for a node fenced at {@code maxEpsilon}: the defaults, with the
     * lease lengthened when a large bound would not leave room for a renewal inside one lease.
     */
    static GroupReplicaOptions replicaOptions(Duration maxEpsilon) {
        GroupReplicaOptions defaults = GroupReplicaOptions.defaults();
        Duration needed = defaults.leaseRenewalInterval().plus(maxEpsilon.multipliedBy(2)).plusMillis(500);
        Duration lease = needed.compareTo(defaults.leaseDuration()) > 0 ? needed : defaults.leaseDuration();
        return defaults.withMaxClockUncertainty(maxEpsilon).withLease(lease, defaults.leaseRenewalInterval());
    }

    /** The Ratis options from the node's configuration. */
    RatisOptions ratisOptions() {
        NodeConfig config = env.config();
        RatisOptions options = RatisOptions.defaults(config.id(), config.raft().host(), config.raft().port(),
                config.raftDir());
        if (config.electionTimeoutMin().isPresent() && config.electionTimeoutMax().isPresent()) {
            options = options.withElectionTimeout(config.electionTimeoutMin().get(), config.electionTimeoutMax().get());
        }
        return options;
    }

    /** The node's replication host, creating state machines with {@code factory}. Not started. */
    ReplicationHost newHost(ReplicationHost.StateMachineFactory factory, FatalErrorHandler fatal) {
        return new RatisReplicationHost(ratisOptions(), factory, fatal);
    }

    /** A new state machine for this node's replica of {@code group}. */
    GroupStateMachine newStateMachine(GroupId group) {
        return new RangeStateMachine(group, env.store());
    }

    /** True once the state machine {@link #newStateMachine} made has applied its group's {@code InitGroup}. */
    boolean isInitialized(GroupStateMachine machine) {
        return ((RangeStateMachine) machine).state().initialized();
    }

    /** The replica of a group over the state machine {@link #newStateMachine} made and its log. */
    GroupReplica newReplica(GroupStateMachine machine, ReplicatedLog log) {
        return new RangeGroupReplica(groupEnv, log, (RangeStateMachine) machine);
    }
}
