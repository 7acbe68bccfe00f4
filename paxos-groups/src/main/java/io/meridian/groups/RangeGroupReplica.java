package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.Split;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.api.internal.v1.Write;
import io.meridian.storage.GroupId;
import io.meridian.storage.Keys;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.storage.VersionPage;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A {@link GroupReplica} over a {@link RangeStateMachine} and a {@link ReplicatedLog}: plain
 * protocol code whose time comes from the environment's TrueTime, fence and scheduler.
 *
 * <ul>
 *   <li><b>Commit</b> (leader, lease held): pre-checks keys against the ranges
 *       ({@code WRONG_RANGE}, {@code RANGE_FROZEN}) and the batch limits (storage exceptions);
 *       assigns {@code s} and proposes the write under the lease's lock (see
 *       {@link LeaderLease}); runs commit wait until {@code TT.after(s)} alongside replication;
 *       completes with {@code s} when the write is applied here and the wait is over.</li>
 *   <li><b>Strong read</b> (leader, lease held): with no transaction prepared here, reads at
 *       {@code s_read = lastTs} of the applied state, which covers every acknowledged commit;
 *       otherwise at {@code s_read = TT.now().latest}, once {@code t_safe} reaches it (the
 *       prepared transactions at or below it resolved). Completes once {@code TT.after(s_read)},
 *       so that a transaction that starts after the read returns gets a later timestamp even if
 *       the read saw a write whose own commit wait is still running.</li>
 *   <li><b>Snapshot reads</b> ({@link #readAt}, {@link #readAtSafeTime}) at any replica once its
 *       safe time {@code t_safe = min(t_paxos_safe, min prepare_ts - 1)} ({@link SafeTime})
 *       reaches the timestamp. A leader inside its lease closes the timestamp itself
 *       ({@link LeaderLease#closeAt}) instead of waiting for the next renewal's
 *       {@code closed_ts}; followers wait for applied closed timestamps. Reads that had to wait
 *       run on the scheduler, never on the apply thread.</li>
 *   <li><b>Two-phase commit</b> ({@link TxnSteps}): prepares and coordinator commits get
 *       timestamps like writes; decisions are proposed at the leader without one.</li>
 *   <li><b>Range moves</b>: writes and strong reads of a frozen range fail with
 *       {@code RANGE_FROZEN}; snapshot reads of it are served at or below its {@code frozen_at}
 *       only; {@link #copyVersions} pages a served range's raw versions for the group it moves
 *       to, once the safe time covers the window.</li>
 *   <li><b>Split</b> (leader): proposes a {@code Split} with a new range id
 *       {@code group_id * 2^32 + sequence}.</li>
 * </ul>
 *
 * <p>Thread-safe. Every method that returns a future reports failures through it, never by
 * throwing ({@link #strongReadTs}, {@link #leaseEnd} and {@link #leaseTerm} throw).
 * Futures complete on the caller's thread (answers ready at once), the replication layer's
 * apply thread or the scheduler's thread: callbacks must not block.
 */
public final class RangeGroupReplica implements GroupReplica {

    /**
     * How long a strong read waits for the transactions prepared at or below its timestamp to
     * resolve: the default transaction timeout, after which they are resolved or aborted.
     */
    static final Duration PREPARED_WAIT_MAX = Duration.ofSeconds(10);

    private final GroupEnvironment env;
    private final ReplicatedLog log;
    private final RangeStateMachine stateMachine;
    private final LeaderLease lease;
    private final SafeTime safeTime;
    private final TxnSteps txnSteps;
    private final Executor onScheduler;
    private final GroupStateListener listener;
    private final Object splitLock = new Object();
    private long nextRangeSequence = GroupState.FIRST_RANGE_SEQUENCE;

    /**
     * A replica of {@code stateMachine}'s group on {@code env.self()}. Starts listening to the
     * state machine at once: if this node leads, it starts acquiring its lease.
     *
     * @throws IllegalArgumentException when the log, state machine and environment disagree on
     *     the group, the node or the store
     */
    public RangeGroupReplica(GroupEnvironment env, ReplicatedLog log, RangeStateMachine stateMachine) {
        this.env = Objects.requireNonNull(env, "env");
        this.log = Objects.requireNonNull(log, "log");
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        if (!log.group().equals(stateMachine.group()) || !log.self().equals(env.self())
                || env.store() != stateMachine.store()) {
            throw new IllegalArgumentException("log (" + log.group() + " at " + log.self() + "), state machine ("
                    + stateMachine.group() + ") and environment (" + env.self() + ") must agree on group, node and store");
        }
        this.lease = new LeaderLease(stateMachine.group(), env, log, stateMachine::state);
        this.safeTime = new SafeTime(stateMachine.group(), env.scheduler(), stateMachine::state);
        this.txnSteps = new TxnSteps(env, log, lease, stateMachine);
        this.onScheduler = task -> env.scheduler().schedule(task, 0);
        this.listener = new GroupStateListener() {
            @Override
            public void applied(GroupState state) {
                safeTime.applied(state);
            }

            @Override
            public void leaderChanged(Optional<NodeId> leader, long term) {
                lease.leaderChanged(leader, term);
            }
        };
        stateMachine.addListener(listener);
    }

    @Override
    public GroupId group() {
        return stateMachine.group();
    }

    @Override
    public ReplicatedLog log() {
        return log;
    }

    @Override
    public boolean isMeta() {
        return stateMachine.state().meta();
    }

    @Override
    public List<RangeState> ranges() {
        return stateMachine.state().ranges();
    }

    /** {@inheritDoc} {@code t_safe = min(t_paxos_safe, min prepare_ts - 1)}. */
    @Override
    public Timestamp safeTs() {
        return safeTime.current();
    }

    @Override
    public boolean leaseHeld() {
        return lease.held();
    }

    @Override
    public CompletableFuture<Timestamp> commit(List<Mutation> mutations) {
        return commit(mutations, LeaderLease.Bounds.NONE);
    }

    @Override
    public CompletableFuture<Timestamp> commitAtMost(List<Mutation> mutations, Timestamp maxTs) {
        return commit(mutations, new LeaderLease.Bounds(Timestamp.MIN, maxTs, false));
    }

    private CompletableFuture<Timestamp> commit(List<Mutation> mutations, LeaderLease.Bounds bounds) {
        try {
            List<Mutation> writes = List.copyOf(mutations);
            GroupRanges.requireWritable(ranges(), writes);
            stateMachine.checkWriteLimits(writes);
            Write.Builder write = Write.newBuilder()
                    .addAllMutations(writes.stream().map(Mutations::toWire).toList())
                    .setLeaderNodeId(env.self().value());
            LeaderLease.Assigned assigned = lease.proposeAtNextTimestamp(bounds, ts -> GroupCommand.newBuilder()
                    .setWrite(write.setCommitTsMicros(ts.micros())).build());
            CompletableFuture<Timestamp> commitWait = env.commitWait().waitUntilAfter(assigned.ts());
            assigned.reply().whenComplete((reply, failure) -> {
                if (failure != null) {
                    commitWait.cancel(false);
                }
            });
            return CommandReplies.onApplied(assigned.reply(), applied -> commitWait).thenCompose(Function.identity());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ReadResult> strongRead(ReadSpec spec) {
        try {
            TTInterval now = lease.requireLease();
            GroupState state = requireLeaderReadable(spec);
            if (state.txns().prepared().isEmpty()) {
                Timestamp readTs = state.lastTs();
                ReadResult result = GroupReads.read(env.store(), spec, readTs);
                return env.commitWait().waitUntilAfter(readTs).thenApply(ts -> result);
            }
            // A prepared transaction may commit at or below lastTs: read where TrueTime says every
            // acknowledged commit lies, once the prepared ones there are resolved.
            Timestamp readTs = now.latest();
            CompletableFuture<Timestamp> commitWait = env.commitWait().waitUntilAfter(readTs);
            return readWhenSafe(readTs, spec, PREPARED_WAIT_MAX).thenCombine(commitWait, (result, ts) -> result);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Then read at it with {@link #readAt}: the caller must also wait for
     * {@code TT.after(s_read)} before it answers (as {@link #strongRead} does).
     */
    @Override
    public Timestamp strongReadTs() {
        TTInterval now = lease.requireLease();
        GroupState state = stateMachine.state();
        return state.txns().prepared().isEmpty() ? state.lastTs() : now.latest();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Refuses keys outside the group ({@code WRONG_RANGE}) and frozen ranges
     * ({@code RANGE_FROZEN}), as {@link #strongRead} does. Completes before returning.
     */
    @Override
    public CompletableFuture<ReadResult> latestRead(ReadSpec spec) {
        try {
            lease.requireLease();
            GroupState state = requireLeaderReadable(spec);
            return CompletableFuture.completedFuture(GroupReads.read(env.store(), spec, state.lastTs()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The applied state, once {@code spec} is inside the ranges and touches no frozen one. */
    private GroupState requireLeaderReadable(ReadSpec spec) {
        GroupState state = stateMachine.state();
        GroupRanges.requireInside(state.ranges(), spec);
        // The range may already take writes in the group it moves to: no strong read here.
        Optional<RangeState> frozen = GroupRanges.frozenRead(state.ranges(), spec);
        if (frozen.isPresent()) {
            throw GroupRanges.rangeFrozen(frozen.get(), state.ranges());
        }
        return state;
    }

    /**
     * {@inheritDoc}
     *
     * <p>At the leader, inside its lease and for {@code readTs <= TT.now().latest}, the wait is
     * only for the writes already assigned at or below {@code readTs} to apply here and for the
     * transactions prepared at or below it to resolve ({@link LeaderLease#closeAt}).
     */
    @Override
    public CompletableFuture<ReadResult> readAt(Timestamp readTs, ReadSpec spec, Duration maxWait) {
        try {
            GroupRanges.requireInside(ranges(), spec);
            requireNotFrozenBelow(spec, readTs);
            return readWhenSafe(readTs, spec, maxWait);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ReadResult> readAtSafeTime(Timestamp minReadTs, ReadSpec spec, Duration maxWait) {
        try {
            GroupRanges.requireInside(ranges(), spec);
            requireNotFrozenBelow(spec, minReadTs);
            CompletableFuture<Timestamp> safe = awaitSafe(minReadTs, maxWait);
            if (safe.isDone() && !safe.isCompletedExceptionally()) {
                return CompletableFuture.completedFuture(readInside(spec, readableTs(spec)));
            }
            return safe.thenApplyAsync(ignored -> readInside(spec, readableTs(spec)), onScheduler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Reads {@code spec} at {@code readTs} once {@code t_safe} reaches it. */
    private CompletableFuture<ReadResult> readWhenSafe(Timestamp readTs, ReadSpec spec, Duration maxWait) {
        CompletableFuture<Timestamp> safe = awaitSafe(readTs, maxWait);
        if (safe.isDone() && !safe.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(readInside(spec, readTs));
        }
        return safe.thenApplyAsync(ignored -> readInside(spec, readTs), onScheduler);
    }

    /**
     * Completes once {@code t_safe >= target}. A leader that can close {@code target} does, so
     * the wait ends as soon as what it assigned below {@code target} is applied; otherwise the
     * wait is for applied closed timestamps.
     */
    private CompletableFuture<Timestamp> awaitSafe(Timestamp target, Duration maxWait) {
        if (safeTime.paxosSafe().isBefore(target)) {
            lease.closeAt(target).ifPresent(barrier -> barrier.whenComplete((reply, failure) -> {
                if (failure == null) {
                    safeTime.closed(target);
                }
            }));
        }
        return safeTime.await(target, maxWait);
    }

    @Override
    public CompletableFuture<VersionPage> copyVersions(long rangeId, Timestamp after, Timestamp upTo,
            Optional<ByteString> resumeAfterKey, int limit, Duration maxWait) {
        try {
            RangeState range = requireServed(rangeId);
            CompletableFuture<Timestamp> safe = awaitSafe(upTo, maxWait);
            return safe.thenApplyAsync(ignored -> {
                requireServed(rangeId);
                return env.store().versions(GroupRanges.span(range), after, upTo, resumeAfterKey, limit);
            }, onScheduler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RangeState requireServed(long rangeId) {
        List<RangeState> ranges = ranges();
        return ranges.stream().filter(r -> r.getRangeId() == rangeId).findFirst()
                .orElseThrow(() -> invalid("range " + rangeId + " is not served by " + group(), ranges));
    }

    /**
     * Refuses a read of a frozen range above its {@code frozen_at}: the group it moves to may
     * already have written there.
     */
    private void requireNotFrozenBelow(ReadSpec spec, Timestamp readTs) {
        List<RangeState> ranges = ranges();
        Optional<RangeState> frozen = GroupRanges.frozenRead(ranges, spec);
        if (frozen.isPresent() && readTs.micros() > frozen.get().getFrozenAtMicros()) {
            throw GroupRanges.rangeFrozen(frozen.get(), ranges);
        }
    }

    /** The safe time, capped at {@code frozen_at} when the read touches a frozen range. */
    private Timestamp readableTs(ReadSpec spec) {
        Timestamp safe = safeTs();
        Optional<RangeState> frozen = GroupRanges.frozenRead(ranges(), spec);
        return frozen.map(range -> Timestamp.min(safe, new Timestamp(range.getFrozenAtMicros()))).orElse(safe);
    }

    @Override
    public CompletableFuture<List<RangeState>> split(ByteString splitKey) {
        try {
            CompletableFuture<ByteString> reply;
            synchronized (splitLock) {
                if (!log.isLeader()) {
                    throw new NotLeaderException(group(), log.leader());
                }
                GroupState state = stateMachine.state();
                if (!state.initialized()) {
                    throw new LeaseUnavailableException(group(), "it is not initialized yet");
                }
                RangeState range = GroupRanges.holding(state.ranges(), splitKey).orElseThrow(() -> invalid(
                        "split key " + Keys.describe(splitKey) + " is not in " + group(), state.ranges()));
                if (GroupRanges.span(range).start().equals(splitKey)) {
                    throw invalid("split key " + Keys.describe(splitKey) + " already starts range "
                            + range.getRangeId(), state.ranges());
                }
                // Concurrent splits must not pick the same id before either is applied.
                long sequence = Math.max(nextRangeSequence, state.nextRangeSequence());
                nextRangeSequence = sequence + 1;
                Split split = Split.newBuilder().setRangeId(range.getRangeId()).setSplitKey(splitKey)
                        .setNewRangeId(CommandOutcomes.rangeId(group(), sequence)).build();
                reply = proposeBytes(GroupCommand.newBuilder().setSplit(split).build());
            }
            return CommandReplies.onApplied(reply, CommandReply.Applied::getRangesList);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Timestamp> prepare(TxnId txn, List<Mutation> writes, GroupId coordinator,
            Timestamp deadline) {
        return txnSteps.prepare(txn, writes, coordinator, deadline);
    }

    @Override
    public CompletableFuture<TxnRecord> commitTxn(TxnId txn, List<Mutation> writes, List<GroupId> participants,
            Timestamp minTs, Timestamp maxTs, Timestamp deadline) {
        return txnSteps.commitTxn(txn, writes, participants, minTs, maxTs, deadline);
    }

    @Override
    public CompletableFuture<TxnRecord> resolveTxn(TxnId txn, boolean committed, Timestamp commitTs,
            Timestamp deadline) {
        return txnSteps.resolveTxn(txn, committed, commitTs, deadline);
    }

    @Override
    public CompletableFuture<Void> forgetTxns(List<TxnId> txns) {
        return txnSteps.forgetTxns(txns);
    }

    @Override
    public List<PreparedTxn> preparedTxns() {
        return List.copyOf(stateMachine.state().txns().prepared().values());
    }

    @Override
    public List<TxnRecord> txnRecords() {
        return List.copyOf(stateMachine.state().txns().records().values());
    }

    @Override
    public Timestamp leaseEnd() {
        return lease.end();
    }

    @Override
    public long leaseTerm() {
        return lease.term();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes with the reply as the state machine gave it, {@code Rejected} included.
     * Refuses {@code Write}, {@code Lease}, {@code Prepare} and {@code CommitTxn} commands
     * ({@link IllegalArgumentException}): their timestamps must come from this replica's lease
     * ({@link #commit}, {@link #prepare}, {@link #commitTxn}).
     */
    @Override
    public CompletableFuture<CommandReply> propose(GroupCommand command) {
        if (command.hasWrite() || command.hasLease() || command.hasPrepare() || command.hasCommitTxn()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("writes, prepares and commits are"
                    + " proposed at timestamps the replica assigns, and leases by the replica itself, not by propose"));
        }
        CompletableFuture<ByteString> reply = command.hasResolveTxn()
                ? txnSteps.proposeResolve(command.getResolveTxn()) : proposeBytes(command);
        return reply.thenApply(CommandReplies::parse);
    }

    /** {@inheritDoc} The meta group's state is empty (default) until it is bootstrapped. */
    @Override
    public Optional<MetaState> meta() {
        GroupState state = stateMachine.state();
        return state.meta() ? Optional.of(state.metaState().orElse(MetaState.getDefaultInstance())) : Optional.empty();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Scans the newest live versions of the group's ranges, counting key and value bytes
     * of at most {@link GroupReplicaOptions#approximateBytesRowsMax()} rows: exact below that
     * cap, a lower bound at it. Runs on the caller's thread; its cost grows with the cap.
     */
    @Override
    public long approximateBytes() {
        return GroupReads.liveBytes(env.store(), GroupRanges.spans(ranges()), env.options().approximateBytesRowsMax());
    }

    @Override
    public void close() {
        stateMachine.removeListener(listener);
        lease.close();
        safeTime.close();
    }

    /** Reads after a wait: the ranges may have changed meanwhile (a split, a freeze), so check again. */
    private ReadResult readInside(ReadSpec spec, Timestamp readTs) {
        GroupRanges.requireInside(ranges(), spec);
        requireNotFrozenBelow(spec, readTs);
        return GroupReads.read(env.store(), spec, readTs);
    }

    private CompletableFuture<ByteString> proposeBytes(GroupCommand command) {
        try {
            return log.propose(command.toByteString());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CommandRejectedException invalid(String message, List<RangeState> ranges) {
        return new CommandRejectedException(RejectReason.REJECT_REASON_INVALID, message, ranges);
    }
}
