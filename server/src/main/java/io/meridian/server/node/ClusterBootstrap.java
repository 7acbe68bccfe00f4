package io.meridian.server.node;

import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.v1.KeyRange;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.Replica;
import io.meridian.server.config.DataDirIdentity;
import io.meridian.server.config.InitialMember;
import io.meridian.server.config.NodeConfig;
import io.meridian.storage.GroupId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Bootstraps a new cluster from {@code --initial-members}, the same way on every member: starts
 * this node's replicas of the meta group (0) and the first data group (1) with all members, then
 * keeps proposing {@code InitGroup} and the meta bootstrap to group 0 and {@code InitGroup} with
 * the whole keyspace as range 1 to group 1 until this node has applied them. The first proposal
 * applied wins; the others change nothing. The identity file records completion, so a restart
 * does not bootstrap again (groups on disk are reopened by the replication host).
 */
final class ClusterBootstrap {

    /** The first data group: it holds the whole keyspace at bootstrap. */
    static final GroupId FIRST_DATA_GROUP = new GroupId(1);

    /** The range that covers the whole keyspace at bootstrap. */
    static final long FIRST_RANGE_ID = 1;

    private static final Logger LOG = Logger.getLogger(ClusterBootstrap.class.getName());
    private static final Duration BOUND = Duration.ofHours(1);

    private final NodeConfig config;
    private final ReplicaRegistry replicas;
    private final CommandProposer proposer;
    private final DataDirIdentity identity;

    ClusterBootstrap(NodeConfig config, ReplicaRegistry replicas, CommandProposer proposer, DataDirIdentity identity) {
        this.config = config;
        this.replicas = replicas;
        this.proposer = proposer;
        this.identity = identity;
    }

    /** Starts bootstrapping in the background, unless this node is not bootstrapping or already did. */
    void start() {
        if (!config.bootstraps() || identity.isBootstrapped()) {
            return;
        }
        List<Replica> members = members(config);
        GroupReplica meta = replicas.start(ReplicaRegistry.META_GROUP, members);
        GroupReplica data = replicas.start(FIRST_DATA_GROUP, members);
        AtomicInteger pending = new AtomicInteger(2);
        Runnable done = () -> {
            if (pending.decrementAndGet() == 0) {
                identity.markBootstrapped();
                LOG.info(() -> "cluster '" + config.cluster() + "' bootstrapped");
            }
        };
        GroupCommand metaInit = GroupCommand.newBuilder().setInit(InitGroup.newBuilder()
                .setGroupId(ReplicaRegistry.META_GROUP.value()).setMeta(true)).build();
        GroupCommand metaBootstrap = GroupCommand.newBuilder().setMeta(MetaCommand.newBuilder()
                .setBootstrap(initialMeta(config))).build();
        proposer.proposeUntilApplied(meta, List.of(metaInit, metaBootstrap), () -> meta.meta().isPresent(), BOUND,
                "the meta bootstrap", done);
        GroupCommand dataInit = GroupCommand.newBuilder().setInit(InitGroup.newBuilder()
                .setGroupId(FIRST_DATA_GROUP.value()).addRanges(wholeKeyspace())).build();
        proposer.proposeUntilApplied(data, List.of(dataInit), () -> replicas.isInitialized(FIRST_DATA_GROUP), BOUND,
                "InitGroup of " + FIRST_DATA_GROUP, done);
    }

    /** The members of the first groups: every initial member. */
    static List<Replica> members(NodeConfig config) {
        return config.initialMembers().stream().map(m -> new Replica(m.id(), m.raftAddress().toString())).toList();
    }

    /** The range that covers the whole keyspace, as group 1 holds it at bootstrap. */
    static RangeState wholeKeyspace() {
        return RangeState.newBuilder().setRangeId(FIRST_RANGE_ID).setSpan(KeyRange.getDefaultInstance())
                .setGeneration(1).build();
    }

    /**
     * The cluster's first meta state: the initial members (region and zone known only for this
     * node; every node records its own at start), groups 0 and 1 on all of them, range 1 (the
     * whole keyspace) in group 1, next group id 2.
     */
    static MetaState initialMeta(NodeConfig config) {
        MetaState.Builder state = MetaState.newBuilder().setClusterName(config.cluster()).setNextGroupId(2);
        GroupRecord.Builder metaGroup = GroupRecord.newBuilder().setGroupId(ReplicaRegistry.META_GROUP.value());
        GroupRecord.Builder dataGroup = GroupRecord.newBuilder().setGroupId(FIRST_DATA_GROUP.value());
        for (InitialMember member : config.initialMembers()) {
            NodeRecord.Builder node = NodeRecord.newBuilder().setNodeId(member.id().value())
                    .setAddress(member.clientAddress().toString()).setRaftAddress(member.raftAddress().toString());
            if (member.id().equals(config.id())) {
                node.setRegion(config.region()).setZone(config.zone());
            }
            state.addNodes(node);
            metaGroup.addReplicaNodeIds(member.id().value());
            dataGroup.addReplicaNodeIds(member.id().value());
        }
        RangeState range = wholeKeyspace();
        return state.addGroups(metaGroup).addGroups(dataGroup).addDirectory(DirectoryEntry.newBuilder()
                .setRangeId(range.getRangeId()).setSpan(range.getSpan()).setGroupId(FIRST_DATA_GROUP.value())
                .setGeneration(range.getGeneration())).build();
    }
}
