package io.meridian.txn;

import io.meridian.api.internal.v1.Coordinate;
import io.meridian.api.internal.v1.PreparedAt;
import io.meridian.api.internal.v1.ReadTimestamp;
import io.meridian.api.internal.v1.ResolveTxn;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.ValidUntil;
import io.meridian.groups.CommandRejectedException;
import io.meridian.groups.CommitBoundException;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.Mutations;
import io.meridian.groups.ReadSpec;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.TrueTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transaction layer of one group replica: at the group's leader it keeps the lock table,
 * answers the steps of read-write transactions ({@link TxnRequest}) and drives what the
 * group owes others (telling participants a decision, asking a coordinator about an in-doubt
 * prepared transaction, forgetting old decision records). At a follower it answers nothing but
 * lock-free reads.
 *
 * <p><b>Epochs.</b> Locks live in memory at the leader, so they are valid only for the lease
 * term they were granted in. The first request in a new term starts a new lock table, rebuilt
 * from the group's prepared transactions (their write locks, which cannot be wounded), and
 * aborts every transaction of the old table ({@link AbortReason#LOCKS_LOST}). A step that says
 * the transaction read here in another term ({@code read_term}), or finds it unknown in the
 * current table, fails the same way: its reads may no longer be current.
 *
 * <p><b>Commit phase.</b> Validating reads, preparing, committing in one phase and coordinating
 * all first take the write locks (wound-wait) and then mark the transaction committing: from
 * then on it cannot be wounded, so the read validity it reports ({@code valid_until} = the
 * lease end: no other leader can assign a timestamp at or below it, and this one will not let a
 * conflicting write in while the locks are held) stays true until the transaction finishes.
 *
 * <p><b>Liveness.</b> Every {@link TxnOptions#sweepInterval()} the leader aborts transactions
 * idle past {@link TxnOptions#idleTimeout()} (not committing ones), asks the coordinator group
 * about prepared transactions past their deadline, tells the participants of its decision
 * records, and forgets records past their deadline plus {@link TxnOptions#recordRetention()}.
 *
 * <p>Thread-safe. Futures complete on the replication layer's or the scheduler's threads.
 */
public final class TxnParticipant implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TxnParticipant.class.getName());
    /** A prepared transaction unresolved this long past its deadline is logged, at most once per such period. */
    private static final long OVERDUE_LOG_MICROS = 30_000_000;

    private final GroupReplica replica;
    private final TrueTime trueTime;
    private final Scheduler scheduler;
    private final TxnTransport transport;
    private final TxnOptions options;

    private final Object lock = new Object();
    private Epoch epoch;
    private Scheduler.Cancellable sweep;
    private boolean closed;

    /** One lease term's lock table and the transactions it knows. */
    private static final class Epoch {
        final long term;
        final LockTable table;
        final Map<TxnId, Active> txns = new LinkedHashMap<>();
        /** Decision records whose participants were all told in this term. */
        final Set<TxnId> told = new HashSet<>();
        /** Decisions being told, and prepared transactions being asked about, right now. */
        final Set<TxnId> busy = new HashSet<>();
        /** One-phase commits run in this term, so a repeated request gets the same answer. */
        final Map<TxnId, OnePhase> onePhase = new LinkedHashMap<>();
        /** Transactions aborted here, with when: the table remembers them until forgotten. */
        final Map<TxnId, Long> aborted = new LinkedHashMap<>();
        /** In-doubt transactions: why the last inquiry failed, and when one was last logged as overdue. */
        final Map<TxnId, String> inquiryFailures = new HashMap<>();
        final Map<TxnId, Long> overdueLogged = new HashMap<>();

        Epoch(long term, LockTable table) {
            this.term = term;
            this.table = table;
        }
    }

    /** A one-phase commit's outcome, and when it started. */
    private record OnePhase(CompletableFuture<TxnReply> outcome, long startedMicros) {
    }

    /** A transaction known to this leader's lock table. */
    private static final class Active {
        final long priority;
        long lastTouchMicros;
        boolean committing;
        /** It only validated its reads here: nothing of it is written at this group. */
        boolean validatedOnly;
        int inFlight;

        Active(long priority, long nowMicros) {
            this.priority = priority;
            this.lastTouchMicros = nowMicros;
        }
    }

    /**
     * The transaction layer of {@code replica}; starts its sweep at once.
     *
     * @param transport reaches other groups' leaders (participants, coordinators)
     */
    public TxnParticipant(GroupReplica replica, TrueTime trueTime, Scheduler scheduler, TxnTransport transport,
            TxnOptions options) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.trueTime = Objects.requireNonNull(trueTime, "trueTime");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.options = Objects.requireNonNull(options, "options");
        synchronized (lock) {
            sweep = scheduler.schedule(this::sweep, options.micros(options.sweepInterval()));
        }
    }

    /** The group this layer serves. */
    public GroupId group() {
        return replica.group();
    }

    /**
     * Answers one transaction step. Fails with {@link TxnAbortedException} when the transaction
     * is aborted here, with the replica's exceptions ({@code NotLeaderException},
     * {@code LeaseUnavailableException}, {@code CommandRejectedException} for bad input such as
     * {@code WRONG_RANGE}, {@code ReplicationException} for an unknown outcome) otherwise.
     *
     * @throws IllegalArgumentException (through the future) when the request is for another
     *     group or malformed
     */
    public CompletableFuture<TxnReply> handle(TxnRequest request) {
        try {
            if (request.getGroupId() != replica.group().value()) {
                throw new IllegalArgumentException("a transaction step for group-" + request.getGroupId()
                        + " reached " + replica.group());
            }
            return switch (request.getOpCase()) {
                case READ -> lockingRead(request);
                case PREPARE -> prepare(request);
                case VALIDATE -> validate(request);
                case COMMIT_ONE_PHASE -> commitOnePhase(request);
                case COORDINATE -> coordinate(request);
                case RESOLVE -> resolve(request);
                case INQUIRE -> inquire(request);
                case RELEASE -> release(request);
                case KEEP_ALIVE -> keepAlive(request);
                case STRONG_READ_TS -> CompletableFuture.completedFuture(TxnReply.newBuilder()
                        .setReadTs(ReadTimestamp.newBuilder().setReadTsMicros(replica.strongReadTs().micros()))
                        .build());
                case SNAPSHOT_READ -> snapshotRead(request);
                case OP_NOT_SET -> throw new IllegalArgumentException("a transaction step needs an operation");
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- steps

    private CompletableFuture<TxnReply> lockingRead(TxnRequest request) {
        TxnId id = txnId(request);
        ReadSpec spec = TxnWire.readSpec(request.getRead());
        Epoch e = currentEpoch();
        Active active = admit(e, id, request.getPriorityMicros(), request.getReadTerm());
        List<KeySpan> spans = TxnWire.lockSpans(spec);
        return acquireAll(e, id, active.priority, spans, LockTable.Mode.SHARED)
                .thenCompose(granted -> {
                    requireSameTerm(e, id);
                    synchronized (lock) {
                        active.lastTouchMicros = nowMicros();
                    }
                    return replica.latestRead(spec);
                })
                .thenApply(result -> TxnReply.newBuilder().setRead(TxnWire.readDone(result).toBuilder()
                        .setLeaseTerm(e.term)).build());
    }

    private CompletableFuture<TxnReply> prepare(TxnRequest request) {
        TxnId id = txnId(request);
        var op = request.getPrepare();
        List<Mutation> writes = TxnWire.mutations(op.getWritesList());
        GroupId coordinator = new GroupId(op.getCoordinatorGroup());
        Timestamp deadline = new Timestamp(op.getDeadlineMicros());
        Epoch e = currentEpoch();
        Active active = admit(e, id, request.getPriorityMicros(), request.getReadTerm());
        return enterCommitPhase(e, id, active, writes)
                .thenCompose(validUntil -> inFlight(e, active, () -> replica.prepare(id, writes, coordinator, deadline))
                        .handle((prepareTs, failure) -> {
                            if (failure != null) {
                                throw abortIfRefused(e, id, failure);
                            }
                            return TxnReply.newBuilder().setPrepared(PreparedAt.newBuilder()
                                    .setPrepareTsMicros(prepareTs.micros())
                                    .setValidUntilMicros(validUntil.micros())).build();
                        }));
    }

    private CompletableFuture<TxnReply> validate(TxnRequest request) {
        TxnId id = txnId(request);
        Epoch e = currentEpoch();
        if (request.getReadTerm() == 0) {
            throw new IllegalArgumentException("validating reads needs the term they were read in (read_term)");
        }
        Active active = admit(e, id, request.getPriorityMicros(), request.getReadTerm());
        return enterCommitPhase(e, id, active, List.of()).thenApply(validUntil -> {
            synchronized (lock) {
                active.validatedOnly = true;
            }
            return TxnReply.newBuilder()
                    .setValidated(ValidUntil.newBuilder().setValidUntilMicros(validUntil.micros())).build();
        });
    }

    private CompletableFuture<TxnReply> commitOnePhase(TxnRequest request) {
        TxnId id = txnId(request);
        var op = request.getCommitOnePhase();
        List<Mutation> writes = TxnWire.mutations(op.getWritesList());
        Timestamp maxTs = op.getMaxCommitTsMicros() == 0 ? Timestamp.MAX : new Timestamp(op.getMaxCommitTsMicros());
        Epoch e = currentEpoch();
        // A repeated request (the network may deliver one twice) answers the first one's outcome.
        CompletableFuture<TxnReply> outcome = new CompletableFuture<>();
        synchronized (lock) {
            OnePhase earlier = e.onePhase.putIfAbsent(id, new OnePhase(outcome, nowMicros()));
            if (earlier != null) {
                return earlier.outcome();
            }
        }
        CompletableFuture.completedFuture(null)
                .thenCompose(ignored -> {
                    Active active = admit(e, id, request.getPriorityMicros(), request.getReadTerm());
                    return enterCommitPhase(e, id, active, writes)
                            .thenCompose(validUntil -> inFlight(e, active, () -> replica.commitAtMost(writes, maxTs)));
                })
                .handle((ts, failure) -> {
                    if (failure != null) {
                        // An unknown outcome keeps the locks: the write may still apply. The
                        // sweep releases them once the transaction is idle.
                        throw abortIfRefused(e, id, failure);
                    }
                    finish(e, id);
                    return TxnReply.newBuilder().setCommitted(
                            io.meridian.api.internal.v1.CommittedAt.newBuilder().setCommitTsMicros(ts.micros())).build();
                })
                .whenComplete((reply, failure) -> {
                    if (failure != null) {
                        outcome.completeExceptionally(Failures.unwrap(failure));
                    } else {
                        outcome.complete(reply);
                    }
                });
        return outcome;
    }

    private CompletableFuture<TxnReply> coordinate(TxnRequest request) {
        TxnId id = txnId(request);
        Coordinate op = request.getCoordinate();
        List<Mutation> writes = TxnWire.mutations(op.getWritesList());
        List<GroupId> participants = op.getParticipantGroupsList().stream().map(GroupId::new).toList();
        Timestamp minTs = new Timestamp(op.getMinCommitTsMicros());
        Timestamp maxTs = op.getMaxCommitTsMicros() == 0 ? Timestamp.MAX : new Timestamp(op.getMaxCommitTsMicros());
        Timestamp deadline = new Timestamp(op.getDeadlineMicros());
        Epoch e = currentEpoch();
        CompletableFuture<TxnRecord> decided = CompletableFuture.completedFuture(null)
                .thenCompose(ignored -> {
                    Active active = admit(e, id, request.getPriorityMicros(), request.getReadTerm());
                    return enterCommitPhase(e, id, active, writes).thenCompose(validUntil -> inFlight(e, active,
                            () -> replica.commitTxn(id, writes, participants, minTs, maxTs, deadline)));
                })
                .exceptionallyCompose(failure -> {
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof CommitBoundException || cause instanceof TxnAbortedException) {
                        // This coordinator proposed no commit now: decide abort, unless a commit
                        // is decided already (an earlier attempt of this very step), which wins.
                        return replica.resolveTxn(id, false, Timestamp.MIN, deadline);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        return decided.handle((record, failure) -> {
            if (failure != null) {
                Throwable cause = Failures.unwrap(failure);
                if (cause instanceof CommandRejectedException rejected) {
                    // Refused commits are recorded as aborted by the state machine.
                    finish(e, id);
                    tellLater(e, id, false, Timestamp.MIN, deadline, participants);
                    throw new TxnAbortedException(AbortReason.DECIDED,
                            "the coordinator " + replica.group() + " refused the commit: " + rejected.getMessage());
                }
                throw Failures.rethrowable(cause);
            }
            finish(e, id);
            tellLater(e, id, record.getCommitted(), new Timestamp(record.getCommitTsMicros()), deadline, participants);
            if (!record.getCommitted()) {
                throw new TxnAbortedException(AbortReason.DECIDED, "the transaction was decided aborted at "
                        + replica.group());
            }
            return TxnReply.newBuilder().setDecision(record).build();
        });
    }

    private CompletableFuture<TxnReply> resolve(TxnRequest request) {
        TxnId id = txnId(request);
        ResolveTxn op = request.getResolve();
        Epoch e = currentEpoch();
        return replica.resolveTxn(id, op.getCommitted(), new Timestamp(op.getCommitTsMicros()),
                        new Timestamp(op.getDeadlineMicros()))
                .thenApply(record -> {
                    finish(e, id);
                    return TxnReply.newBuilder().setDecision(record).build();
                });
    }

    private CompletableFuture<TxnReply> inquire(TxnRequest request) {
        TxnId id = txnId(request);
        Timestamp deadline = new Timestamp(request.getInquire().getDeadlineMicros());
        replica.leaseTerm();
        Optional<TxnRecord> known = record(id);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(TxnReply.newBuilder().setDecision(known.get()).build());
        }
        if (!trueTime.after(deadline)) {
            // Not decided, and a commit could still be decided: ask again later.
            return CompletableFuture.completedFuture(TxnReply.newBuilder()
                    .setDone(io.meridian.api.internal.v1.Done.getDefaultInstance()).build());
        }
        return replica.resolveTxn(id, false, Timestamp.MIN, deadline)
                .thenApply(record -> TxnReply.newBuilder().setDecision(record).build());
    }

    /**
     * The gateway is done with the transaction here: one that only read here is rolled back, and
     * one that only validated its reads here is finished; either way its locks go. The gateway
     * sends this for a validated group only once the transaction failed for certain or its
     * commit timestamp has passed everywhere (TT.now().earliest above it), so a writer let through
     * now commits above every timestamp the reads had to hold at. One committing writes here
     * keeps its locks: its outcome ends it.
     */
    private CompletableFuture<TxnReply> release(TxnRequest request) {
        TxnId id = txnId(request);
        Epoch e;
        boolean abort;
        boolean finish;
        synchronized (lock) {
            e = epoch;
            Active active = e == null ? null : e.txns.get(id);
            abort = active != null && !active.committing;
            finish = active != null && active.committing && active.validatedOnly && active.inFlight == 0;
        }
        if (abort) {
            abortHere(e, id, AbortReason.ROLLED_BACK);
        } else if (finish) {
            finish(e, id);
        }
        return CompletableFuture.completedFuture(done());
    }

    private CompletableFuture<TxnReply> keepAlive(TxnRequest request) {
        TxnId id = txnId(request);
        Epoch e = currentEpoch();
        requireNotAborted(e, id);
        synchronized (lock) {
            Active active = e.txns.get(id);
            if (active == null) {
                throw new TxnAbortedException(AbortReason.LOCKS_LOST, id + " holds no locks at "
                        + replica.group() + " (its leader changed)");
            }
            active.lastTouchMicros = nowMicros();
        }
        return CompletableFuture.completedFuture(done());
    }

    private CompletableFuture<TxnReply> snapshotRead(TxnRequest request) {
        var op = request.getSnapshotRead();
        ReadSpec spec = TxnWire.readSpec(op.getSpec());
        Duration maxWait = op.getMaxWaitMicros() > 0 ? Duration.ofNanos(op.getMaxWaitMicros() * 1_000)
                : options.readWaitMax();
        return replica.readAt(new Timestamp(op.getReadTsMicros()), spec, maxWait)
                .thenApply(result -> TxnReply.newBuilder().setRead(TxnWire.readDone(result)).build());
    }

    // ---- locks and epochs

    /** The epoch of the lease held now, starting a new one when the term changed. */
    private Epoch currentEpoch() {
        long term = replica.leaseTerm();
        Epoch old;
        Epoch fresh;
        synchronized (lock) {
            if (epoch != null && epoch.term == term) {
                return epoch;
            }
            old = epoch;
            Epoch[] created = new Epoch[1];
            fresh = new Epoch(term, new LockTable(scheduler, id -> wounded(created[0], id),
                    options.micros(options.behindCommittingWaitMax())));
            created[0] = fresh;
            epoch = fresh;
        }
        if (old != null) {
            abortAll(old);
        }
        adoptPrepared(fresh);
        return fresh;
    }

    /** Gives every prepared transaction not yet in the table its write locks, unwoundable. */
    private void adoptPrepared(Epoch e) {
        long now = nowMicros();
        for (PreparedTxn prepared : replica.preparedTxns()) {
            synchronized (lock) {
                if (e.txns.containsKey(prepared.id())) {
                    continue;
                }
                Active active = new Active(Long.MIN_VALUE, now);
                active.committing = true;
                e.txns.put(prepared.id(), active);
            }
            for (Mutation write : prepared.writes()) {
                // Nothing conflicts with a prepared transaction's writes but another transaction's
                // locks taken since; the state machine refuses writes overlapping it meanwhile.
                e.table.acquire(prepared.id(), Long.MIN_VALUE, write.span(), LockTable.Mode.EXCLUSIVE,
                        options.micros(options.commitTimeout()));
            }
            e.table.markCommitting(prepared.id());
        }
    }

    /**
     * The epoch's lease is over: all of its transactions lose their locks at once, and no
     * request waiting in its table is granted on the way (see {@link LockTable#abortAll}).
     */
    private void abortAll(Epoch old) {
        old.table.abortAll(AbortReason.LOCKS_LOST);
        long now = nowMicros();
        synchronized (lock) {
            for (TxnId id : old.txns.keySet()) {
                old.aborted.put(id, now);
            }
            old.txns.clear();
        }
    }

    /**
     * The transaction's entry in the epoch, created if new; fails when it is aborted here, or
     * when it read here ({@code readTerm} not 0) in another lease term or the epoch does not
     * know it: the locks its reads took are gone.
     */
    private Active admit(Epoch e, TxnId id, long priority, long readTerm) {
        requireNotAborted(e, id);
        synchronized (lock) {
            Active active = e.txns.get(id);
            if (readTerm != 0 && (readTerm != e.term || active == null)) {
                throw new TxnAbortedException(AbortReason.LOCKS_LOST, id + " read at " + replica.group()
                        + " under lease term " + readTerm + "; the leader is in term " + e.term
                        + " and holds none of its read locks");
            }
            if (active == null) {
                active = new Active(priority, nowMicros());
                e.txns.put(id, active);
            }
            active.lastTouchMicros = nowMicros();
            return active;
        }
    }

    private void requireNotAborted(Epoch e, TxnId id) {
        Optional<AbortReason> reason = e.table.abortedReason(id);
        if (reason.isPresent()) {
            throw new TxnAbortedException(reason.get(), id + " is aborted at " + replica.group() + " ("
                    + reason.get() + ")");
        }
    }

    private void requireSameTerm(Epoch e, TxnId id) {
        if (replica.leaseTerm() != e.term) {
            abortHere(e, id, AbortReason.LOCKS_LOST);
            throw new TxnAbortedException(AbortReason.LOCKS_LOST, "the leader of " + replica.group()
                    + " changed while " + id + " waited for its locks");
        }
    }

    private CompletableFuture<Void> acquireAll(Epoch e, TxnId id, long priority, List<KeySpan> spans,
            LockTable.Mode mode) {
        long maxWait = options.micros(options.lockWaitMax());
        CompletableFuture<?>[] grants = spans.stream()
                .map(span -> e.table.acquire(id, priority, span, mode, maxWait))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(grants);
    }

    /**
     * Takes the write locks, then makes the transaction unwoundable and checks the term:
     * completes with the lease end its locks are valid until.
     */
    private CompletableFuture<Timestamp> enterCommitPhase(Epoch e, TxnId id, Active active, List<Mutation> writes) {
        List<KeySpan> spans = writes.stream().map(Mutation::span).toList();
        return acquireAll(e, id, active.priority, spans, LockTable.Mode.EXCLUSIVE).thenApply(granted -> {
            if (!e.table.markCommitting(id)) {
                requireNotAborted(e, id);
                throw new TxnAbortedException(AbortReason.LOCKS_LOST, id + " lost its locks at " + replica.group());
            }
            synchronized (lock) {
                active.committing = true;
                active.lastTouchMicros = nowMicros();
            }
            requireSameTerm(e, id);
            return replica.leaseEnd();
        });
    }

    private <T> CompletableFuture<T> inFlight(Epoch e, Active active, Supplier<CompletableFuture<T>> step) {
        synchronized (lock) {
            active.inFlight++;
        }
        CompletableFuture<T> result;
        try {
            result = step.get();
        } catch (RuntimeException failure) {
            result = CompletableFuture.failedFuture(failure);
        }
        return result.whenComplete((value, failure) -> {
            synchronized (lock) {
                active.inFlight--;
                active.lastTouchMicros = nowMicros();
            }
        });
    }

    /**
     * The exception to fail a commit-phase step with: a refusal by the group (nothing applied)
     * aborts the transaction here and becomes {@link TxnAbortedException}; anything else is
     * returned as it is, the locks kept (the outcome may be unknown).
     */
    private RuntimeException abortIfRefused(Epoch e, TxnId id, Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof CommandRejectedException rejected) {
            abortHere(e, id, AbortReason.CONFLICT);
            return new TxnAbortedException(AbortReason.CONFLICT, replica.group() + " refused " + id + ": "
                    + rejected.getMessage());
        }
        if (cause instanceof CommitBoundException bound) {
            abortHere(e, id, AbortReason.TOO_LATE);
            return new TxnAbortedException(AbortReason.TOO_LATE, bound.getMessage());
        }
        return Failures.rethrowable(cause);
    }

    /** The transaction is finished here: its locks go. */
    private void finish(Epoch e, TxnId id) {
        synchronized (lock) {
            e.txns.remove(id);
            e.inquiryFailures.remove(id);
            e.overdueLogged.remove(id);
        }
        e.table.release(id);
    }

    /**
     * Aborts the transaction here: its locks go, and the table answers its later steps with
     * {@code reason} until the sweep forgets it.
     */
    private void abortHere(Epoch e, TxnId id, AbortReason reason) {
        e.table.abort(id, reason);
        synchronized (lock) {
            e.txns.remove(id);
            e.aborted.put(id, nowMicros());
        }
    }

    /** The table wounded {@code id}: it learns so at its next step here. */
    private void wounded(Epoch e, TxnId id) {
        synchronized (lock) {
            e.txns.remove(id);
            e.aborted.put(id, nowMicros());
        }
    }

    // ---- what the leader owes others

    private void tellLater(Epoch e, TxnId id, boolean committed, Timestamp commitTs, Timestamp deadline,
            List<GroupId> participants) {
        if (participants.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (!e.busy.add(id)) {
                return;
            }
        }
        List<CompletableFuture<TxnReply>> sends = new ArrayList<>();
        for (GroupId participant : participants) {
            sends.add(transport.send(TxnRequest.newBuilder().setGroupId(participant.value())
                    .setTxnId(id.toBytes())
                    .setResolve(ResolveTxn.newBuilder().setTxnId(id.toBytes()).setCommitted(committed)
                            .setCommitTsMicros(commitTs.micros()).setDeadlineMicros(deadline.micros()))
                    .build()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            synchronized (lock) {
                e.busy.remove(id);
                if (failure == null) {
                    e.told.add(id);
                }
            }
        });
    }

    private void sweep() {
        synchronized (lock) {
            sweep = null;
            if (closed) {
                return;
            }
        }
        try {
            if (replica.log().isLeader()) {
                sweepOnce();
            } else {
                dropEpoch();
            }
        } catch (NotLeaderException | LeaseUnavailableException notNow) {
            // Leading without a usable lease (renewing, waiting out the last one): next time.
        } finally {
            synchronized (lock) {
                if (!closed) {
                    sweep = scheduler.schedule(this::sweep, options.micros(options.sweepInterval()));
                }
            }
        }
    }

    /** This replica no longer leads: the transactions of its lock table lose their locks. */
    private void dropEpoch() {
        Epoch old;
        synchronized (lock) {
            old = epoch;
            epoch = null;
        }
        if (old != null) {
            abortAll(old);
        }
    }

    private void sweepOnce() {
        Epoch e = currentEpoch();
        adoptPrepared(e);
        long now = nowMicros();
        long idleMicros = options.micros(options.idleTimeout());
        List<TxnId> idle = new ArrayList<>();
        List<TxnId> settled = new ArrayList<>();
        List<TxnId> forget = new ArrayList<>();
        Set<TxnId> prepared = new HashSet<>();
        for (PreparedTxn txn : replica.preparedTxns()) {
            prepared.add(txn.id());
        }
        synchronized (lock) {
            for (Map.Entry<TxnId, Active> entry : e.txns.entrySet()) {
                Active active = entry.getValue();
                boolean stale = now - active.lastTouchMicros > idleMicros;
                if (!stale || active.inFlight > 0 || prepared.contains(entry.getKey())) {
                    continue;
                }
                // A committing transaction idle this long, not prepared and with no step
                // running, had a commit step whose outcome was unknown: settled by now.
                (active.committing ? settled : idle).add(entry.getKey());
            }
            settled.forEach(e.txns::remove);
            for (Map.Entry<TxnId, Long> entry : e.aborted.entrySet()) {
                if (now - entry.getValue() > 2 * idleMicros) {
                    forget.add(entry.getKey());
                }
            }
            forget.forEach(e.aborted::remove);
            e.onePhase.values().removeIf(done -> done.outcome().isDone()
                    && now - done.startedMicros() > 2 * idleMicros);
        }
        for (TxnId id : idle) {
            abortHere(e, id, AbortReason.IDLE);
        }
        settled.forEach(e.table::release);
        forget.forEach(e.table::forget);
        askAboutInDoubt(e);
        tellAndForget(e);
    }

    private void askAboutInDoubt(Epoch e) {
        long margin = options.micros(options.sweepInterval());
        for (PreparedTxn txn : replica.preparedTxns()) {
            // The deadline the transaction carried; records stored without one: the latest it can be.
            Timestamp deadline = new Timestamp(Math.addExact(txn.deadline().equals(Timestamp.MAX)
                    ? txn.prepareTs().micros() + options.micros(options.commitTimeout()) : txn.deadline().micros(),
                    margin));
            if (!trueTime.after(deadline)) {
                continue;
            }
            boolean asking;
            synchronized (lock) {
                asking = e.busy.add(txn.id());
            }
            logIfOverdue(e, txn, deadline, !asking);
            if (!asking) {
                continue;
            }
            transport.send(TxnRequest.newBuilder().setGroupId(txn.coordinator().value()).setTxnId(txn.id().toBytes())
                            .setInquire(io.meridian.api.internal.v1.Inquire.newBuilder()
                                    .setDeadlineMicros(deadline.micros()))
                            .build())
                    .thenCompose(reply -> reply.hasDecision()
                            ? replica.resolveTxn(txn.id(), reply.getDecision().getCommitted(),
                                    new Timestamp(reply.getDecision().getCommitTsMicros()), deadline)
                                    .thenApply(record -> {
                                        finish(e, txn.id());
                                        return record;
                                    })
                            : CompletableFuture.failedFuture(new IllegalStateException(
                                    "the coordinator has not decided yet")))
                    .whenComplete((ignored, failure) -> {
                        synchronized (lock) {
                            e.busy.remove(txn.id());
                            if (failure == null) {
                                e.inquiryFailures.remove(txn.id());
                            } else {
                                e.inquiryFailures.put(txn.id(), String.valueOf(failure));
                            }
                        }
                    });
        }
    }

    /**
     * Logs a prepared transaction still in doubt {@link #OVERDUE_LOG_MICROS} past its deadline
     * (it holds back this group's safe time and its keys' writers), at most once per that period.
     */
    private void logIfOverdue(Epoch e, PreparedTxn txn, Timestamp deadline, boolean inquiryRunning) {
        long now = nowMicros();
        if (now - deadline.micros() < OVERDUE_LOG_MICROS) {
            return;
        }
        String lastFailure;
        synchronized (lock) {
            Long logged = e.overdueLogged.get(txn.id());
            if (logged != null && now - logged < OVERDUE_LOG_MICROS) {
                return;
            }
            e.overdueLogged.put(txn.id(), now);
            lastFailure = e.inquiryFailures.get(txn.id());
        }
        LOG.log(Level.WARNING, () -> replica.group() + ": " + txn.id() + " prepared at " + txn.prepareTs()
                + " is still in doubt " + (now - deadline.micros()) / 1_000_000 + " s past its deadline; coordinator "
                + txn.coordinator() + (inquiryRunning ? ", an inquiry is running" : "")
                + (lastFailure == null ? "" : ", last inquiry failed: " + lastFailure));
    }

    private void tellAndForget(Epoch e) {
        long retention = options.micros(options.recordRetention());
        List<TxnId> forget = new ArrayList<>();
        for (TxnRecord record : replica.txnRecords()) {
            TxnId id = TxnId.fromBytes(record.getTxnId());
            boolean toldAll;
            synchronized (lock) {
                toldAll = record.getParticipantGroupsCount() == 0 || e.told.contains(id);
            }
            if (!toldAll) {
                tellLater(e, id, record.getCommitted(), new Timestamp(record.getCommitTsMicros()),
                        new Timestamp(record.getDeadlineMicros()),
                        record.getParticipantGroupsList().stream().map(GroupId::new).toList());
            } else if (trueTime.after(new Timestamp(Math.addExact(record.getDeadlineMicros(), retention)))) {
                forget.add(id);
            }
        }
        if (!forget.isEmpty()) {
            replica.forgetTxns(forget).whenComplete((ignored, failure) -> {
                synchronized (lock) {
                    forget.forEach(e.told::remove);
                }
            });
        }
    }

    private Optional<TxnRecord> record(TxnId id) {
        var bytes = id.toBytes();
        return replica.txnRecords().stream().filter(r -> r.getTxnId().equals(bytes)).findFirst();
    }

    /** Stops the sweep and aborts the transactions holding locks here. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (sweep != null) {
                sweep.cancel();
                sweep = null;
            }
        }
        dropEpoch();
    }

    // ---- small helpers

    private long nowMicros() {
        return trueTime.now().latestMicros();
    }

    private static TxnId txnId(TxnRequest request) {
        return TxnId.fromBytes(request.getTxnId());
    }

    private static TxnReply done() {
        return TxnReply.newBuilder().setDone(io.meridian.api.internal.v1.Done.getDefaultInstance()).build();
    }
}
