package io.meridian.server.node;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.ChangeReplicasRequest;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CopyVersionsRequest;
import io.meridian.api.internal.v1.CopyVersionsResponse;
import io.meridian.api.internal.v1.ProposeGroupCommandRequest;
import io.meridian.storage.VersionPage;
import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.txn.TxnParticipant;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.GroupSplitResponse;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.StartReplicaRequest;
import io.meridian.api.internal.v1.StopReplicaRequest;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.TransferLeadershipRequest;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReadResult;
import io.meridian.groups.ReadSpec;
import io.meridian.groups.Replica;
import io.meridian.server.config.NodeConfig;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.NodeLink;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.GroupId;
import io.meridian.truetime.FenceStatus;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The internal node service as this node serves it, in-process: the {@link NodeLink} a gateway on
 * this node uses to reach its own replicas, and what the gRPC {@code NodeService} delegates to.
 * Blocks the calling (virtual) thread until the replica answers or the deadline passes.
 *
 * <p>Thread-safe. Failures are the groups layer's exceptions; a commit that outlives its deadline
 * is reported as ambiguous.
 */
public final class LocalNodeOperations implements NodeLink {

    /** How long a new group's members keep proposing its {@code InitGroup}. */
    private static final Duration INIT_BOUND = Duration.ofMinutes(2);

    private final NodeEnvironment env;
    private final ReplicaRegistry replicas;
    private final TxnParticipants participants;
    private final MetaCache meta;
    private final CommandProposer proposer;
    private volatile GroupCaller caller;

    LocalNodeOperations(NodeEnvironment env, ReplicaRegistry replicas, TxnParticipants participants, MetaCache meta,
            CommandProposer proposer) {
        this.env = env;
        this.replicas = replicas;
        this.participants = participants;
        this.meta = meta;
        this.proposer = proposer;
    }

    /** Sets the caller used to forward meta proposals; called once during wiring. */
    void bindCaller(GroupCaller groupCaller) {
        this.caller = groupCaller;
    }

    @Override
    public String target() {
        return env.self().value();
    }

    @Override
    public GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline) {
        GroupReplica replica = replicas.require(new GroupId(request.getGroupId()));
        ReadSpec spec = ProtoConversions.readSpec(request);
        Timestamp ts = Timestamp.ofMicros(request.getReadTsMicros());
        Duration maxWait = maxWait(request.getMaxWaitMicros(), deadline);
        ReadResult result = FutureWaits.await(switch (request.getMode()) {
            case READ_MODE_STRONG -> replica.strongRead(spec);
            case READ_MODE_AT_TIMESTAMP -> replica.readAt(ts, spec, maxWait);
            case READ_MODE_MIN_TIMESTAMP -> replica.readAtSafeTime(ts, spec, maxWait);
            case READ_MODE_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("read mode is not set");
        }, deadline, CallKind.READ);
        return ProtoConversions.groupReadResponse(result);
    }

    private static Duration maxWait(long maxWaitMicros, Deadline deadline) {
        Duration remaining = FutureWaits.remaining(deadline);
        if (maxWaitMicros <= 0) {
            return remaining;
        }
        Duration asked = Duration.ofNanos(Math.multiplyExact(maxWaitMicros, 1000L));
        return asked.compareTo(remaining) < 0 ? asked : remaining;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Answered by this node's {@link TxnParticipant} of the group.
     */
    @Override
    public TxnReply txn(TxnRequest request, Deadline deadline) {
        TxnParticipant participant = participants.require(new GroupId(request.getGroupId()));
        return FutureWaits.await(participant.handle(request), deadline, NodeTxnTransport.kindOf(request));
    }

    @Override
    public GroupSplitResponse groupSplit(GroupSplitRequest request, Deadline deadline) {
        GroupReplica replica = replicas.require(new GroupId(request.getGroupId()));
        List<RangeState> halves = FutureWaits.await(replica.split(request.getSplitKey()), deadline, CallKind.COMMIT);
        if (halves.size() != 2) {
            throw new IllegalStateException("a split returned " + halves.size() + " ranges, not 2");
        }
        return GroupSplitResponse.newBuilder().setLeft(halves.get(0)).setRight(halves.get(1)).build();
    }

    @Override
    public MetaState getMeta(Deadline deadline) {
        Optional<MetaState> local = replicas.localMeta();
        if (local.isPresent()) {
            return local.get();
        }
        MetaState cached = meta.table().meta();
        if (cached.getDirectoryCount() == 0) {
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "node " + env.self()
                    + " knows no meta state yet");
        }
        return cached;
    }

    @Override
    public CommandReply proposeMeta(MetaCommand command, Deadline deadline) {
        return caller.atLeader(ReplicaRegistry.META_GROUP.value(), CallKind.COMMIT, deadline,
                (link, d) -> link == this ? proposeMetaHere(command, d) : link.proposeMetaHere(command, d));
    }

    @Override
    public CommandReply proposeMetaHere(MetaCommand command, Deadline deadline) {
        GroupReplica replica = replicas.require(ReplicaRegistry.META_GROUP);
        return FutureWaits.await(replica.propose(GroupCommand.newBuilder().setMeta(command).build()), deadline,
                CallKind.COMMIT);
    }

    @Override
    public void startReplica(StartReplicaRequest request, Deadline deadline) {
        GroupId group = new GroupId(request.getGroupId());
        List<Replica> members = request.getMembersList().stream().map(ProtoConversions::replica).toList();
        if (members.stream().noneMatch(m -> m.node().equals(env.self()))) {
            throw new IllegalArgumentException("the members of " + group + " do not include node " + env.self());
        }
        GroupReplica replica = replicas.start(group, members);
        if (request.hasInit()) {
            // Answer only once this replica applied the InitGroup: a command proposed after the
            // group was created must come after it in the log (one that came first would find the
            // group uninitialized and be refused).
            InitGroup init = request.getInit().toBuilder().setGroupId(group.value()).build();
            CompletableFuture<Void> initialized = new CompletableFuture<>();
            proposer.proposeUntilApplied(replica, List.of(GroupCommand.newBuilder().setInit(init).build()),
                    () -> replicas.isInitialized(group),
                    INIT_BOUND, "InitGroup of " + group, () -> initialized.complete(null));
            FutureWaits.await(initialized, deadline, CallKind.READ);
        }
    }

    @Override
    public void stopReplica(StopReplicaRequest request, Deadline deadline) {
        replicas.stop(new GroupId(request.getGroupId()));
    }

    @Override
    public GroupInfo changeReplicas(ChangeReplicasRequest request, Deadline deadline) {
        GroupReplica replica = leaderReplica(request.getGroupId());
        List<Replica> members = request.getMembersList().stream().map(ProtoConversions::replica).toList();
        FutureWaits.await(replica.log().changeMembers(members), deadline, CallKind.COMMIT);
        return groupInfo(replica);
    }

    @Override
    public GroupInfo transferLeadership(TransferLeadershipRequest request, Deadline deadline) {
        GroupReplica replica = leaderReplica(request.getGroupId());
        NodeId target = new NodeId(request.getNodeId());
        if (target.equals(env.self())) {
            return groupInfo(replica); // already the leader
        }
        FutureWaits.await(replica.log().transferLeadership(target, FutureWaits.remaining(deadline)), deadline,
                CallKind.READ);
        return groupInfo(replica);
    }

    @Override
    public CopyVersionsResponse copyVersions(CopyVersionsRequest request, Deadline deadline) {
        GroupReplica replica = replicas.require(new GroupId(request.getGroupId()));
        // up_to 0: the window ends at this replica's safe time now (a copy's snapshot time).
        Timestamp upTo = request.getUpToMicros() == 0 ? replica.safeTs() : Timestamp.ofMicros(request.getUpToMicros());
        Optional<ByteString> resume = request.getHasResumeAfterKey() ? Optional.of(request.getResumeAfterKey())
                : Optional.empty();
        VersionPage page = FutureWaits.await(replica.copyVersions(request.getRangeId(),
                Timestamp.ofMicros(request.getAfterMicros()), upTo, resume, request.getLimit(),
                maxWait(request.getMaxWaitMicros(), deadline)), deadline, CallKind.READ);
        CopyVersionsResponse.Builder response = CopyVersionsResponse.newBuilder().setSafeTsMicros(upTo.micros());
        page.versions().forEach(v -> response.addVersions(ProtoConversions.storedVersion(v)));
        page.resumeAfterKey().ifPresent(key -> response.setResumeAfterKey(key).setHasResumeAfterKey(true));
        replica.ranges().stream().filter(r -> r.getRangeId() == request.getRangeId()).findFirst()
                .ifPresent(response::setRange);
        return response.build();
    }

    @Override
    public CommandReply proposeGroupCommand(ProposeGroupCommandRequest request, Deadline deadline) {
        GroupReplica replica = leaderReplica(request.getGroupId());
        return FutureWaits.await(replica.propose(request.getCommand()), deadline, CallKind.READ);
    }

    private GroupReplica leaderReplica(long groupId) {
        GroupReplica replica = replicas.require(new GroupId(groupId));
        if (!replica.log().isLeader()) {
            throw new NotLeaderException(replica.group(), replica.log().leader());
        }
        return replica;
    }

    /** What this replica knows of its group: members, leader, ranges. */
    static GroupInfo groupInfo(GroupReplica replica) {
        GroupInfo.Builder info = GroupInfo.newBuilder().setGroupId(replica.group().value());
        replica.log().members().forEach(m -> info.addReplicaNodeIds(m.node().value()));
        replica.log().leader().ifPresent(l -> info.setLeaderNodeId(l.value()));
        replica.ranges().forEach(r -> info.addRangeIds(r.getRangeId()));
        return info.build();
    }

    @Override
    public Node nodeStatus(Deadline deadline) {
        NodeConfig config = env.config();
        FenceStatus status = env.fence().status();
        NodeHealth health = switch (status) {
            case FenceStatus.Serving serving -> NodeHealth.NODE_HEALTH_SERVING;
            case FenceStatus.Fenced fenced -> NodeHealth.NODE_HEALTH_FENCED;
        };
        return Node.newBuilder().setNodeId(config.id().value()).setAddress(config.listen().toString())
                .setRaftAddress(config.raft().toString()).setRegion(config.region()).setZone(config.zone())
                .setHealth(health).setEpsilonMicros(status.now().epsilonMicros()).build();
    }
}
