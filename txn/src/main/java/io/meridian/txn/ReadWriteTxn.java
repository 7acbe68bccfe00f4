package io.meridian.txn;

import io.meridian.api.internal.v1.CommitOnePhase;
import io.meridian.api.internal.v1.Coordinate;
import io.meridian.api.internal.v1.Inquire;
import io.meridian.api.internal.v1.KeepAlive;
import io.meridian.api.internal.v1.PrepareWrites;
import io.meridian.api.internal.v1.Release;
import io.meridian.api.internal.v1.ResolveTxn;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.ValidateReads;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.ReadResult;
import io.meridian.groups.ReadSpec;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One read-write transaction at its gateway (Spanner §4.2.1): locking reads at the group
 * leaders, writes buffered by the caller and given to {@link #commit}, which runs the one-phase
 * commit (one group writes) or two-phase commit (several).
 *
 * <p><b>Commit.</b> The groups written are the participants; one of them (the first written)
 * coordinates. The groups only read are validated: still holding the read locks, they say
 * until when no conflicting write can commit there ({@code valid_until}), and the commit
 * timestamp must not exceed the smallest such bound. Non-coordinator participants prepare
 * (write locks, a prepare timestamp, a replicated {@code Prepare}) in parallel with the
 * validations; the coordinator then commits at {@code s >=} every prepare timestamp, commit
 * waits, answers, and tells the participants.
 *
 * <p><b>Outcomes.</b> {@link #commit} completes with the commit timestamp, or fails with
 * {@link TxnAbortedException} when the transaction certainly did not commit (a failure before
 * the coordinator was asked to commit, or a refusal by the coordinator), or with
 * {@link TxnAmbiguousException} when it may have: the coordinator's answer was lost and asking
 * it again did not settle the question.
 *
 * <p>While open, the transaction keeps its locks alive at every group it holds locks in.
 * Thread-safe; one step at a time is expected.
 */
public final class ReadWriteTxn {

    private final TxnDriver driver;
    private final TxnId id;
    private final long priority;
    private final Object lock = new Object();
    /** Groups a locking read was sent to (they may hold locks). */
    private final Set<GroupId> readGroups = new LinkedHashSet<>();
    /** The leader's lease term each group's locking reads were answered in. */
    private final Map<GroupId, Long> readTerms = new LinkedHashMap<>();
    private Scheduler.Cancellable keepAlive;
    private boolean finished;
    /** Why the transaction aborted, once a group said so. */
    private TxnAbortedException abortedWith;

    ReadWriteTxn(TxnDriver driver, TxnId id, long priority) {
        this.driver = driver;
        this.id = id;
        this.priority = priority;
    }

    /** The transaction's id. */
    public TxnId id() {
        return id;
    }

    /** Its priority: the first start time of the transaction, kept across retries. */
    public long priorityMicros() {
        return priority;
    }

    /**
     * A locking read: shared locks on the keys (or the whole span) at each group's leader, then
     * the newest committed values. Fails with {@link TxnAbortedException} when the transaction
     * was aborted at a group (wounded, timed out, locks lost).
     */
    public CompletableFuture<ReadResult> read(ReadSpec spec) {
        synchronized (lock) {
            if (finished) {
                return CompletableFuture.failedFuture(finishedFailure());
            }
        }
        return driver.readAcross(spec, this::readPiece);
    }

    /**
     * A locking read of {@code piece}, which lies in {@code group}'s ranges: for gateways that
     * cut reads into pieces themselves.
     */
    public CompletableFuture<ReadResult> readPiece(GroupId group, ReadSpec piece) {
        synchronized (lock) {
            if (finished) {
                return CompletableFuture.failedFuture(finishedFailure());
            }
            readGroups.add(group);
            startKeepAlive();
        }
        return send(group, TxnRequest.newBuilder().setRead(TxnWire.lockingRead(piece)))
                .whenComplete((reply, failure) -> {
                    if (failure != null && Failures.unwrap(failure) instanceof TxnAbortedException aborted) {
                        abortEverywhere(aborted);
                    }
                })
                .thenApply(reply -> {
                    long term = reply.getRead().getLeaseTerm();
                    synchronized (lock) {
                        Long earlier = readTerms.putIfAbsent(group, term);
                        if (earlier != null && earlier != term) {
                            // Reads answered by two leaders: the first one's locks are gone.
                            TxnAbortedException lost = new TxnAbortedException(AbortReason.LOCKS_LOST, id + " read at "
                                    + group + " under lease terms " + earlier + " and " + term);
                            driver.scheduler().schedule(() -> abortEverywhere(lost), 0);
                            throw lost;
                        }
                    }
                    return TxnWire.readResult(reply.getRead());
                });
    }

    /**
     * Commits {@code writes} (applied in order) with what the transaction read. See the class
     * comment for the outcomes.
     */
    public CompletableFuture<Timestamp> commit(List<Mutation> writes) {
        Set<GroupId> reads;
        synchronized (lock) {
            if (finished) {
                return CompletableFuture.failedFuture(finishedFailure());
            }
            finished = true;
            stopKeepAlive();
            reads = new LinkedHashSet<>(readGroups);
        }
        CompletableFuture<Timestamp> outcome;
        try {
            Map<GroupId, List<Mutation>> byGroup = byGroup(writes);
            long deadline = Math.addExact(driver.trueTime().now().latestMicros(),
                    driver.options().micros(driver.options().commitTimeout()));
            outcome = switch (byGroup.size()) {
                case 0 -> commitReadOnly(reads);
                case 1 -> commitOneGroup(byGroup, reads);
                default -> commitTwoPhase(byGroup, reads, deadline);
            };
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.whenComplete((ts, failure) -> {
            // Failed for certain: the groups only read release their locks (written ones did as
            // they finished). After an ambiguous end they keep them until the idle timeout: the
            // transaction may yet commit at a timestamp their locks must still protect.
            if (failure != null && Failures.unwrap(failure) instanceof TxnAbortedException) {
                releaseAll(reads);
            }
        });
    }

    /**
     * A group aborted the transaction (wounded it, lost its locks): nothing of it can commit, so
     * every group it read at releases its locks now rather than after the idle timeout, and later
     * steps fail with the same abort.
     */
    private void abortEverywhere(TxnAbortedException aborted) {
        Set<GroupId> reads;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            abortedWith = aborted;
            stopKeepAlive();
            reads = new LinkedHashSet<>(readGroups);
        }
        releaseAll(reads);
    }

    /** The failure of a step after the transaction finished. */
    private RuntimeException finishedFailure() {
        return abortedWith != null ? abortedWith : new IllegalStateException(id + " is finished");
    }

    /** Rolls back: every group releases the transaction's locks. Idempotent. */
    public CompletableFuture<Void> rollback() {
        Set<GroupId> reads;
        synchronized (lock) {
            if (finished) {
                return CompletableFuture.completedFuture(null);
            }
            finished = true;
            stopKeepAlive();
            reads = new LinkedHashSet<>(readGroups);
        }
        return releaseAll(reads);
    }

    // ---- commit paths

    /** Nothing written: validate every read group; the reads hold together at a time below every bound. */
    private CompletableFuture<Timestamp> commitReadOnly(Set<GroupId> reads) {
        return validateAll(reads).thenCompose(validUntil -> {
            Timestamp ts = Timestamp.min(driver.trueTime().now().latest(), validUntil);
            releaseOnceAfter(ts, reads);
            return driver.waitUntilAfter(ts);
        });
    }

    /**
     * Lets the groups only read release their locks once {@code ts} has certainly passed
     * everywhere (TT.now().earliest > ts), without holding up the commit's answer. Not before: a
     * writer that took a lock released earlier could be given a timestamp at or below {@code ts}
     * by a leader whose clock is behind, and the transaction's reads would no longer hold at
     * {@code ts}.
     */
    private void releaseOnceAfter(Timestamp ts, Set<GroupId> readOnly) {
        if (!readOnly.isEmpty()) {
            driver.waitUntilAfter(ts).thenRun(() -> releaseAll(readOnly));
        }
    }

    private CompletableFuture<Timestamp> commitOneGroup(Map<GroupId, List<Mutation>> byGroup, Set<GroupId> reads) {
        GroupId group = byGroup.keySet().iterator().next();
        Set<GroupId> readOnly = new LinkedHashSet<>(reads);
        readOnly.remove(group);
        return validateAll(readOnly).thenCompose(validUntil -> send(group, TxnRequest.newBuilder()
                        .setCommitOnePhase(CommitOnePhase.newBuilder()
                                .addAllWrites(TxnWire.toWire(byGroup.get(group)))
                                .setMaxCommitTsMicros(validUntil.equals(Timestamp.MAX) ? 0 : validUntil.micros())))
                .handle((reply, failure) -> {
                    if (failure != null) {
                        throw outcomeOfCommitStep(failure);
                    }
                    Timestamp ts = new Timestamp(reply.getCommitted().getCommitTsMicros());
                    releaseOnceAfter(ts, readOnly);
                    return ts;
                }));
    }

    private CompletableFuture<Timestamp> commitTwoPhase(Map<GroupId, List<Mutation>> byGroup, Set<GroupId> reads,
            long deadline) {
        List<GroupId> written = new ArrayList<>(byGroup.keySet());
        GroupId coordinator = written.get(0);
        List<GroupId> participants = written.subList(1, written.size());
        Set<GroupId> readOnly = new LinkedHashSet<>(reads);
        readOnly.removeAll(written);

        List<CompletableFuture<TxnReply>> prepares = new ArrayList<>();
        for (GroupId participant : participants) {
            prepares.add(send(participant, TxnRequest.newBuilder().setPrepare(PrepareWrites.newBuilder()
                    .addAllWrites(TxnWire.toWire(byGroup.get(participant)))
                    .setCoordinatorGroup(coordinator.value())
                    .setDeadlineMicros(deadline))));
        }
        CompletableFuture<Timestamp> validations = validateAll(readOnly);
        CompletableFuture<Void> firstPhase = CompletableFuture.allOf(prepares.toArray(CompletableFuture[]::new))
                .thenCombine(validations, (a, b) -> null);
        return firstPhase.handle((ignored, failure) -> failure).thenCompose(failure -> {
            if (failure != null) {
                // The coordinator was never asked to commit: the transaction cannot commit.
                // Decide abort at the coordinator and tell the prepared, best effort; an
                // unreachable participant asks the coordinator after the deadline.
                abortPrepared(coordinator, participants, deadline);
                return CompletableFuture.failedFuture(asAborted(failure, "a participant could not prepare"));
            }
            long minTs = 0;
            long maxTs = validations.join().micros();
            for (CompletableFuture<TxnReply> prepare : prepares) {
                TxnReply reply = prepare.join();
                minTs = Math.max(minTs, reply.getPrepared().getPrepareTsMicros());
                maxTs = Math.min(maxTs, reply.getPrepared().getValidUntilMicros());
            }
            Coordinate.Builder coordinate = Coordinate.newBuilder()
                    .addAllWrites(TxnWire.toWire(byGroup.get(coordinator)))
                    .addAllParticipantGroups(participants.stream().map(GroupId::value).toList())
                    .setMinCommitTsMicros(minTs)
                    .setMaxCommitTsMicros(maxTs == Long.MAX_VALUE ? 0 : maxTs)
                    .setDeadlineMicros(deadline);
            return send(coordinator, TxnRequest.newBuilder().setCoordinate(coordinate)).handle((reply, commitFailure) -> {
                if (commitFailure == null) {
                    Timestamp ts = new Timestamp(reply.getDecision().getCommitTsMicros());
                    releaseOnceAfter(ts, readOnly);
                    return CompletableFuture.completedFuture(ts);
                }
                Throwable cause = Failures.unwrap(commitFailure);
                if (cause instanceof TxnAbortedException || isNothingDone(cause)) {
                    if (isNothingDone(cause)) {
                        abortPrepared(coordinator, participants, deadline);
                    }
                    return CompletableFuture.<Timestamp>failedFuture(asAborted(cause, "the coordinator refused"));
                }
                return settle(coordinator, deadline, cause);
            }).thenCompose(Function.identity());
        });
    }

    /**
     * The coordinator's answer was lost or its outcome unknown: ask it, once the deadline has
     * passed (then it decides abort if nothing was decided), until it answers or the deadline
     * plus the commit timeout has passed.
     */
    private CompletableFuture<Timestamp> settle(GroupId coordinator, long deadline, Throwable cause) {
        long giveUp = Math.addExact(deadline, driver.options().micros(driver.options().commitTimeout()));
        CompletableFuture<Timestamp> settled = new CompletableFuture<>();
        askCoordinator(coordinator, deadline, giveUp, cause, settled);
        return settled;
    }

    private void askCoordinator(GroupId coordinator, long deadline, long giveUp, Throwable cause,
            CompletableFuture<Timestamp> settled) {
        long now = driver.trueTime().now().earliestMicros();
        if (now > giveUp) {
            settled.completeExceptionally(new TxnAmbiguousException(id + " may or may not have committed: "
                    + "the coordinator " + coordinator + " did not say (" + cause.getMessage() + ")", cause));
            return;
        }
        long wait = Math.max(now <= deadline ? deadline - now + 1 : 0,
                driver.options().micros(driver.options().sweepInterval()) / 4);
        driver.scheduler().schedule(() -> send(coordinator, TxnRequest.newBuilder()
                        .setInquire(Inquire.newBuilder().setDeadlineMicros(deadline)))
                .whenComplete((reply, failure) -> {
                    if (failure == null && reply.hasDecision()) {
                        if (reply.getDecision().getCommitted()) {
                            settled.complete(new Timestamp(reply.getDecision().getCommitTsMicros()));
                        } else {
                            settled.completeExceptionally(new TxnAbortedException(AbortReason.DECIDED,
                                    "the coordinator " + coordinator + " decided abort"));
                        }
                        return;
                    }
                    askCoordinator(coordinator, deadline, giveUp, cause, settled);
                }), wait);
    }

    private void abortPrepared(GroupId coordinator, List<GroupId> participants, long deadline) {
        send(coordinator, TxnRequest.newBuilder().setResolve(ResolveTxn.newBuilder().setTxnId(id.toBytes())
                .setCommitted(false).setDeadlineMicros(deadline)))
                .whenComplete((reply, failure) -> {
                    if (failure == null && reply.hasDecision() && !reply.getDecision().getCommitted()) {
                        for (GroupId participant : participants) {
                            send(participant, TxnRequest.newBuilder().setResolve(ResolveTxn.newBuilder()
                                    .setTxnId(id.toBytes()).setCommitted(false).setDeadlineMicros(deadline)));
                        }
                    }
                });
    }

    /** Validates the read-only groups: the smallest {@code valid_until}, or MAX for none. */
    private CompletableFuture<Timestamp> validateAll(Set<GroupId> groups) {
        List<CompletableFuture<TxnReply>> validations = new ArrayList<>();
        for (GroupId group : groups) {
            validations.add(send(group, TxnRequest.newBuilder().setValidate(ValidateReads.getDefaultInstance())));
        }
        return CompletableFuture.allOf(validations.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            if (failure != null) {
                throw asAborted(failure, "a group could not vouch for the reads");
            }
            long min = Long.MAX_VALUE;
            for (CompletableFuture<TxnReply> validation : validations) {
                min = Math.min(min, validation.join().getValidated().getValidUntilMicros());
            }
            return new Timestamp(min);
        });
    }

    // ---- helpers

    private Map<GroupId, List<Mutation>> byGroup(List<Mutation> writes) {
        Map<GroupId, List<Mutation>> byGroup = new LinkedHashMap<>();
        for (Mutation write : writes) {
            if (write instanceof Mutation.DeleteRange range) {
                for (KeyRouter.Piece piece : driver.router().pieces(range.span())) {
                    byGroup.computeIfAbsent(piece.group(), g -> new ArrayList<>())
                            .add(new Mutation.DeleteRange(piece.span().start(), piece.span().end()));
                }
            } else {
                GroupId group = driver.router().groupOf(write.span().start());
                byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(write);
            }
        }
        return byGroup;
    }

    /** A failed commit step, as the caller must see it. */
    private RuntimeException outcomeOfCommitStep(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof TxnAbortedException aborted) {
            return aborted;
        }
        if (isNothingDone(cause)) {
            return asAborted(cause, "the group could not commit");
        }
        return new TxnAmbiguousException(id + " may or may not have committed: " + cause.getMessage(), cause);
    }

    /** True for failures that say the step was not run: no leader, no lease. */
    private static boolean isNothingDone(Throwable cause) {
        return cause instanceof NotLeaderException || cause instanceof LeaseUnavailableException;
    }

    private TxnAbortedException asAborted(Throwable failure, String what) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof TxnAbortedException aborted) {
            return aborted;
        }
        return new TxnAbortedException(AbortReason.DECIDED, id + " aborted: " + what + " (" + cause.getMessage() + ")");
    }

    private CompletableFuture<Void> releaseAll(Set<GroupId> groups) {
        List<CompletableFuture<TxnReply>> releases = new ArrayList<>();
        for (GroupId group : groups) {
            releases.add(send(group, TxnRequest.newBuilder().setRelease(Release.getDefaultInstance()))
                    .exceptionally(failure -> null));
        }
        return CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<TxnReply> send(GroupId group, TxnRequest.Builder request) {
        long readTerm;
        synchronized (lock) {
            readTerm = readTerms.getOrDefault(group, 0L);
        }
        try {
            return driver.transport().send(request.setGroupId(group.value()).setTxnId(id.toBytes())
                    .setPriorityMicros(priority).setReadTerm(readTerm).build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void startKeepAlive() {
        if (keepAlive == null && !finished) {
            long interval = driver.options().micros(driver.options().keepAliveInterval());
            keepAlive = driver.scheduler().schedule(this::keepAlive, interval);
        }
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel();
            keepAlive = null;
        }
    }

    private void keepAlive() {
        Set<GroupId> groups;
        synchronized (lock) {
            keepAlive = null;
            if (finished) {
                return;
            }
            groups = new LinkedHashSet<>(readGroups);
            startKeepAlive();
        }
        for (GroupId group : groups) {
            send(group, TxnRequest.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()));
        }
    }

    @Override
    public String toString() {
        return id + " (priority " + priority + ")";
    }
}
