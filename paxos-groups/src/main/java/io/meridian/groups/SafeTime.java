package io.meridian.groups;

import io.meridian.storage.GroupId;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One replica's safe time, {@code t_safe = min(t_paxos_safe, min prepare_ts - 1)} (DESIGN.md),
 * and the reads waiting for it.
 *
 * <p>{@code t_paxos_safe} is the higher of the applied {@code lastTs} (write, prepare and commit
 * timestamps, lease {@code closed_ts}) and the timestamp this replica closed itself while leading
 * ({@link #closed}): both promise that every write at or below them is applied here and that no
 * write at or below them will be applied later, except the commit of a transaction prepared
 * here, which the second term holds back. The safe time never decreases: a prepare timestamp is
 * above every timestamp applied or closed before it.
 *
 * <p>Thread-safe. Waits complete on the thread that reports progress ({@link #applied} on the
 * apply thread, {@link #closed} wherever a barrier completes) or on the scheduler's.
 */
final class SafeTime {

    private final Supplier<GroupState> state;
    private final AtomicReference<Timestamp> leaderClosed = new AtomicReference<>(Timestamp.MIN);
    private final SafeTimeWaiters waiters;

    private final GroupId group;

    SafeTime(GroupId group, Scheduler scheduler, Supplier<GroupState> state) {
        this.group = group;
        this.state = state;
        this.waiters = new SafeTimeWaiters(scheduler, this::current, this::heldBackBy);
    }

    /** What holds the safe time where it is: the oldest prepared transaction, or the last closed timestamp. */
    String heldBackBy() {
        GroupState applied = state.get();
        Timestamp paxosSafe = paxosSafe(applied);
        return applied.txns().oldestPrepared().filter(txn -> !txn.prepareTs().isAfter(paxosSafe))
                .map(txn -> group + " holds transaction " + txn.id() + " prepared at " + txn.prepareTs()
                        + " (coordinator " + txn.coordinator() + ") unresolved")
                .orElse(group + " has applied timestamps up to " + applied.lastTs() + (leaderClosed.get()
                        .equals(Timestamp.MIN) ? "" : " and closed " + leaderClosed.get() + " while leading")
                        + "; no later write or closed timestamp has reached this replica");
    }

    /** {@code t_safe} of the state applied now. */
    Timestamp current() {
        return of(state.get());
    }

    /** {@code t_paxos_safe} of the state applied now: the safe time if nothing were prepared. */
    Timestamp paxosSafe() {
        return paxosSafe(state.get());
    }

    /** The replica applied {@code applied}: releases the reads its safe time now covers. */
    void applied(GroupState applied) {
        waiters.advanced(of(applied));
    }

    /**
     * While leading, this replica closed {@code ts} and has applied every write at or below it
     * ({@link LeaderLease#closeAt}): releases the reads that covers.
     */
    void closed(Timestamp ts) {
        leaderClosed.accumulateAndGet(ts, Timestamp::max);
        waiters.advanced(current());
    }

    /** Completes once {@code t_safe >= target}; fails with {@link SafeTimeWaitTimeoutException} after {@code maxWait}. */
    CompletableFuture<Timestamp> await(Timestamp target, Duration maxWait) {
        return waiters.await(target, maxWait);
    }

    /** Fails every pending wait; later waits fail at once. */
    void close() {
        waiters.close();
    }

    private Timestamp of(GroupState applied) {
        return applied.txns().safeTs(paxosSafe(applied));
    }

    private Timestamp paxosSafe(GroupState applied) {
        return Timestamp.max(applied.lastTs(), leaderClosed.get());
    }
}
