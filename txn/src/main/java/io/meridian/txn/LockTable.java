package io.meridian.txn;

import io.meridian.storage.KeySpan;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The lock table of one group leader: shared and exclusive locks on key spans for read-write
 * transactions, with deadlocks avoided by <em>wound-wait</em> (Spanner §4.2.1, DESIGN.md
 * "Transactions", invariant 8).
 *
 * <p>Every transaction has a priority, its first start time: lower is older, ties broken by
 * {@link TxnId} order (lower is older). A request that conflicts with locks of other
 * transactions <em>wounds</em> (aborts with {@link AbortReason#WOUNDED}) every conflicting
 * holder younger than itself that is not {@linkplain #markCommitting committing}, and waits for
 * the conflicting holders that remain: older ones and committing ones. So within one table a
 * transaction only ever waits for an older one or for one that is finishing, and no cycle of
 * waits forms. Across groups one can: a transaction committing at one group may wait at another
 * for an older one, which waits at the first for it. A request of an older transaction waiting
 * for a younger committing holder is therefore bounded more tightly (see the constructor).
 *
 * <p>Waiting requests are granted oldest first; a request is not granted ahead of an older
 * transaction's waiting request it conflicts with, so an old transaction is not starved by a
 * stream of younger compatible ones (for example readers in front of a writer).
 *
 * <p>Locks are re-entrant: a transaction's own locks never conflict with its requests, so a
 * shared lock followed by an exclusive one on the same span is an upgrade.
 *
 * <p>Thread-safe. Futures are completed, and the {@link WoundListener} told, after the table's
 * monitor is released, on the thread of the call that caused it (or the scheduler's, for
 * timeouts): callbacks may call back into the table. A listener that throws is a bug: its
 * exception leaves the call that wounded, after every other effect of that call ran. A
 * transaction with no lock, no waiting request and no abort record takes no memory here.
 */
public final class LockTable {

    /** A lock's mode. */
    public enum Mode {
        /** Compatible with other transactions' shared locks: taken by reads. */
        SHARED,
        /** Conflicts with every lock of another transaction: taken by writes. */
        EXCLUSIVE;

        boolean conflictsWith(Mode other) {
            return this == EXCLUSIVE || other == EXCLUSIVE;
        }
    }

    /** Told when a holder is wounded (after its locks are released); called outside the table's lock. */
    @FunctionalInterface
    public interface WoundListener {

        /**
         * {@code txn} was wounded by an older transaction: its locks are gone and its waits have
         * failed with {@link AbortReason#WOUNDED}. Called once per wound, outside the table's
         * monitor; it may call back into the table.
         */
        void wounded(TxnId txn);
    }

    /** A {@code maxWaitMicros} meaning "wait without a bound". */
    public static final long WAIT_FOREVER = Long.MAX_VALUE;

    /** Older first: priority, then id. */
    private static final Comparator<LockTxn> TXN_AGE =
            Comparator.<LockTxn>comparingLong(t -> t.priority).thenComparing(t -> t.id);
    /** Older transaction first, then the earlier request of the same transaction. */
    private static final Comparator<LockRequest> REQUEST_AGE =
            Comparator.<LockRequest, LockTxn>comparing(r -> r.txn, TXN_AGE).thenComparingLong(r -> r.sequence);

    private final Scheduler scheduler;
    private final WoundListener listener;
    private final long behindCommittingWaitMicros;

    private final Object monitor = new Object();
    private final Map<TxnId, LockTxn> txns = new HashMap<>();
    private final Map<TxnId, AbortReason> aborted = new HashMap<>();
    private final LockIndex<LockHolder> held = new LockIndex<>(h -> h.span);
    private final LockIndex<LockRequest> waiting = new LockIndex<>(r -> r.span);
    private long nextSequence;
    /** Why the table was {@linkplain #abortAll closed}, once it was. */
    private AbortReason closedWith;

    /**
     * An empty table.
     *
     * @param scheduler runs lock-wait timeouts
     * @param listener told of every wound
     */
    public LockTable(Scheduler scheduler, WoundListener listener) {
        this(scheduler, listener, WAIT_FOREVER);
    }

    /**
     * An empty table whose requests wait at most {@code behindCommittingWaitMicros} when they
     * wait for a <em>younger</em> committing holder. Such a holder normally finishes within
     * milliseconds, but it may itself wait at another group for a lock this request's
     * transaction holds there (both unwoundable where the other waits): a cycle that only a
     * timeout breaks. The short bound ends it by aborting the older transaction
     * ({@link AbortReason#LOCK_TIMEOUT}), which then retries with its priority, instead of
     * stalling both for the full lock wait.
     *
     * @param scheduler                  runs lock-wait timeouts
     * @param listener                   told of every wound
     * @param behindCommittingWaitMicros the bound, or {@link #WAIT_FOREVER} for none beyond the request's own
     */
    public LockTable(Scheduler scheduler, WoundListener listener, long behindCommittingWaitMicros) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (behindCommittingWaitMicros <= 0) {
            throw new IllegalArgumentException("the wait behind a committing holder must be positive: "
                    + behindCommittingWaitMicros);
        }
        this.behindCommittingWaitMicros = behindCommittingWaitMicros;
    }

    /**
     * Acquires a lock on {@code span} (a single key is the span {@code [key, key + 0x00)},
     * {@link KeySpan#ofKey}) for {@code txn}. Completes when granted; wounds the younger,
     * woundable holders it conflicts with at once (see the class comment). Fails with
     * {@link TxnAbortedException}:
     * <ul>
     *   <li>{@link AbortReason#WOUNDED} if the transaction is wounded while waiting, or was
     *       wounded before and not forgotten;</li>
     *   <li>{@link AbortReason#LOCK_TIMEOUT} after {@code maxWaitMicros} without the grant: this
     *       request is withdrawn, the transaction's other locks and requests stay;</li>
     *   <li>the recorded reason if the transaction was {@linkplain #abort aborted} and not
     *       {@linkplain #forget forgotten} (at once);</li>
     *   <li>{@link AbortReason#ROLLED_BACK} if the transaction is {@linkplain #release released}
     *       while this request waits.</li>
     * </ul>
     * A lock the transaction already holds on the same span, in the same or a stronger mode, is
     * granted at once. A transaction's priority is fixed by its first request while it holds or
     * waits for anything here; later requests' priorities are ignored until then.
     *
     * @param priority the transaction's first start time in microseconds: lower is older
     * @param maxWaitMicros how long the request may wait, zero or more; {@link #WAIT_FOREVER}
     *     for no bound
     * @return a future completed when the lock is granted (already complete when granted at once)
     * @throws IllegalArgumentException if {@code maxWaitMicros} is negative
     */
    public CompletableFuture<Void> acquire(TxnId txn, long priority, KeySpan span, Mode mode, long maxWaitMicros) {
        Objects.requireNonNull(txn, "txn");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(mode, "mode");
        if (maxWaitMicros < 0) {
            throw new IllegalArgumentException("lock wait bound must not be negative: " + maxWaitMicros);
        }
        List<Runnable> effects = new ArrayList<>();
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (monitor) {
            AbortReason reason = closedWith != null ? closedWith : aborted.get(txn);
            if (reason != null) {
                return CompletableFuture.failedFuture(new TxnAbortedException(reason,
                        txn + " was already aborted here (" + reason + ")"));
            }
            LockTxn state = txns.computeIfAbsent(txn, id -> new LockTxn(id, priority));
            if (state.isIdle()) {
                state.priority = priority;
            }
            LockHolder own = state.held.get(span);
            if (own != null && (own.mode == Mode.EXCLUSIVE || own.mode == mode)) {
                return CompletableFuture.completedFuture(null);
            }
            LockRequest request = new LockRequest(state, span, mode, nextSequence++, future);
            List<KeySpan> freed = new ArrayList<>();
            if (tryGrant(request, freed, effects)) {
                grant(request);
                // Nobody can have attached a callback yet: completing it here runs nothing.
                future.complete(null);
            } else {
                enqueue(request, request.behindYoungerCommitting
                        ? Math.min(maxWaitMicros, behindCommittingWaitMicros) : maxWaitMicros);
            }
            settle(freed, effects);
        }
        runAll(effects);
        return future;
    }

    /**
     * From now on {@code txn} cannot be wounded (it is committing or prepared): conflicting
     * requests of older transactions wait for it. Takes effect also for locks it acquires later.
     * A committing transaction should not request locks it may wait for: two committing
     * transactions waiting for each other would wait until their requests time out.
     *
     * @return true when {@code txn} is now committing; false, changing nothing, when it was
     *     aborted or wounded and not forgotten ({@link #abortedReason} says why)
     */
    public boolean markCommitting(TxnId txn) {
        Objects.requireNonNull(txn, "txn");
        synchronized (monitor) {
            if (closedWith != null || aborted.containsKey(txn)) {
                return false;
            }
            // A transaction not yet known keeps this mark until it is released or aborted; its
            // priority is set by its first request.
            txns.computeIfAbsent(txn, id -> new LockTxn(id, Long.MIN_VALUE)).committing = true;
            return true;
        }
    }

    /**
     * Releases all of {@code txn}'s locks (it finished: committed or rolled back) and forgets it,
     * abort record included; its waiting requests fail with {@link AbortReason#ROLLED_BACK}.
     * Waiting requests of others that no longer conflict are granted. Idempotent.
     */
    public void release(TxnId txn) {
        Objects.requireNonNull(txn, "txn");
        List<Runnable> effects = new ArrayList<>();
        synchronized (monitor) {
            aborted.remove(txn);
            LockTxn state = txns.remove(txn);
            if (state != null) {
                List<KeySpan> freed = new ArrayList<>();
                drop(state, AbortReason.ROLLED_BACK, () -> txn + " was released while it waited", freed, effects);
                settle(freed, effects);
            }
        }
        runAll(effects);
    }

    /**
     * Aborts {@code txn}: releases its locks, fails its waiting requests with {@code reason}, and
     * remembers the transaction as aborted, so that its later requests fail at once, until
     * {@link #forget}. When it was already aborted or wounded, the first reason is kept.
     * Idempotent.
     */
    public void abort(TxnId txn, AbortReason reason) {
        Objects.requireNonNull(txn, "txn");
        Objects.requireNonNull(reason, "reason");
        List<Runnable> effects = new ArrayList<>();
        synchronized (monitor) {
            aborted.putIfAbsent(txn, reason);
            LockTxn state = txns.remove(txn);
            if (state != null) {
                List<KeySpan> freed = new ArrayList<>();
                drop(state, reason, () -> txn + " was aborted (" + reason + ")", freed, effects);
                settle(freed, effects);
            }
        }
        runAll(effects);
    }

    /**
     * Closes the table: every transaction holding or waiting here is aborted with {@code reason}
     * at once, its waiting requests fail, and nothing waiting is granted on the way (the locks do
     * not pass to anyone: a leader that lost its lease must not let a waiting writer through
     * because its readers' locks went). Later requests fail with {@code reason}, and
     * {@link #markCommitting} answers false. Idempotent; the first reason is kept.
     *
     * @return the transactions that held or waited for a lock here
     */
    public List<TxnId> abortAll(AbortReason reason) {
        Objects.requireNonNull(reason, "reason");
        List<Runnable> effects = new ArrayList<>();
        List<TxnId> ids;
        synchronized (monitor) {
            if (closedWith == null) {
                closedWith = reason;
            }
            ids = new ArrayList<>(txns.keySet());
            List<KeySpan> freed = new ArrayList<>();
            for (TxnId id : ids) {
                aborted.putIfAbsent(id, reason);
                LockTxn state = txns.remove(id);
                drop(state, reason, () -> id + " was aborted (" + reason + ")", freed, effects);
            }
            // Nothing is left waiting, so nothing is settled.
        }
        runAll(effects);
        return ids;
    }

    /** Why {@code txn} was aborted or wounded, if it was and has not been forgotten or released since. */
    public Optional<AbortReason> abortedReason(TxnId txn) {
        Objects.requireNonNull(txn, "txn");
        synchronized (monitor) {
            return Optional.ofNullable(aborted.getOrDefault(txn, closedWith));
        }
    }

    /** Forgets {@code txn}'s abort record, if any: its later requests are treated as new. Idempotent. */
    public void forget(TxnId txn) {
        Objects.requireNonNull(txn, "txn");
        synchronized (monitor) {
            aborted.remove(txn);
        }
    }

    /** True when {@code txn} holds at least one lock or waits for one here. */
    public boolean holdsOrWaits(TxnId txn) {
        Objects.requireNonNull(txn, "txn");
        synchronized (monitor) {
            LockTxn state = txns.get(txn);
            return state != null && !state.isIdle();
        }
    }

    /** The number of transactions holding or waiting for a lock here (for metrics and tests). */
    public int size() {
        synchronized (monitor) {
            int active = 0;
            for (LockTxn state : txns.values()) {
                if (!state.isIdle()) {
                    active++;
                }
            }
            return active;
        }
    }

    /**
     * Decides {@code request}: wounds the younger woundable holders it conflicts with, then
     * answers whether it can be granted now: no other conflicting holder remains, and no older
     * transaction waits for a conflicting lock.
     */
    private boolean tryGrant(LockRequest request, List<KeySpan> freed, List<Runnable> effects) {
        LockTxn requester = request.txn;
        Set<LockTxn> toWound = new TreeSet<>(TXN_AGE);
        boolean blocked = false;
        for (LockHolder holder : held.overlapping(request.span)) {
            if (holder.txn == requester || !holder.mode.conflictsWith(request.mode)) {
                continue;
            }
            if (isOlder(requester, holder.txn) && !holder.txn.committing) {
                toWound.add(holder.txn);
            } else {
                blocked = true;
                request.behindYoungerCommitting |= isOlder(requester, holder.txn);
            }
        }
        for (LockTxn victim : toWound) {
            wound(victim, requester, freed, effects);
        }
        if (blocked) {
            return false;
        }
        return !waiting.anyOverlapping(request.span, other -> other.txn != requester
                && other.mode.conflictsWith(request.mode) && isOlder(other.txn, requester));
    }

    /** Gives {@code request}'s lock to its transaction (upgrading its own lock on the same span). */
    private void grant(LockRequest request) {
        LockTxn owner = request.txn;
        LockHolder own = owner.held.get(request.span);
        if (own == null) {
            LockHolder holder = new LockHolder(owner, request.span, request.mode);
            owner.held.put(request.span, holder);
            held.add(holder);
        } else if (request.mode == Mode.EXCLUSIVE) {
            own.mode = Mode.EXCLUSIVE;
        }
    }

    private void enqueue(LockRequest request, long maxWaitMicros) {
        request.txn.waiting.add(request);
        waiting.add(request);
        if (maxWaitMicros != WAIT_FOREVER) {
            request.timer = scheduler.schedule(() -> timeOut(request, maxWaitMicros), maxWaitMicros);
        }
    }

    /** Takes {@code request} out of the waiting requests; false if it was not waiting any more. */
    private boolean dequeue(LockRequest request) {
        if (!request.txn.waiting.remove(request)) {
            return false;
        }
        waiting.remove(request);
        if (request.timer != null) {
            request.timer.cancel();
        }
        return true;
    }

    private void timeOut(LockRequest request, long maxWaitMicros) {
        List<Runnable> effects = new ArrayList<>();
        synchronized (monitor) {
            if (!dequeue(request)) {
                return;
            }
            LockTxn owner = request.txn;
            if (owner.isIdle() && !owner.committing) {
                txns.remove(owner.id);
            }
            fail(request, AbortReason.LOCK_TIMEOUT, owner.id + " waited " + maxWaitMicros + " µs for a "
                    + request.mode + " lock on " + request.span + " without getting it"
                    + (request.behindYoungerCommitting ? " (held by a younger committing transaction)" : ""), effects);
            // The withdrawn request may have held back younger conflicting requests behind it.
            List<KeySpan> freed = new ArrayList<>(List.of(request.span));
            settle(freed, effects);
        }
        runAll(effects);
    }

    /**
     * Grants, oldest first, the waiting requests that overlap {@code freed} and no longer
     * conflict; repeats while grants wound holders and so free more spans.
     */
    private void settle(List<KeySpan> freed, List<Runnable> effects) {
        while (!freed.isEmpty()) {
            Set<LockRequest> candidates = new TreeSet<>(REQUEST_AGE);
            for (KeySpan span : freed) {
                candidates.addAll(waiting.overlapping(span));
            }
            freed.clear();
            // Granting a request never unblocks another one, so one pass in age order finds every
            // request the freed spans let through; only wounds (which fill freed) need another.
            for (LockRequest request : candidates) {
                if (request.txn.waiting.contains(request) && tryGrant(request, freed, effects)) {
                    dequeue(request);
                    grant(request);
                    effects.add(() -> request.future.complete(null));
                }
            }
        }
    }

    /** Aborts {@code victim}, younger than {@code by}, with {@link AbortReason#WOUNDED}. */
    private void wound(LockTxn victim, LockTxn by, List<KeySpan> freed, List<Runnable> effects) {
        aborted.putIfAbsent(victim.id, AbortReason.WOUNDED);
        txns.remove(victim.id);
        drop(victim, AbortReason.WOUNDED, () -> victim.id + " was wounded by the older " + by.id, freed, effects);
        effects.add(() -> listener.wounded(victim.id));
    }

    /**
     * Releases {@code state}'s locks and fails its waiting requests with {@code reason}, adding
     * the spans of both to {@code freed}. The caller has taken it out of {@link #txns}.
     */
    private void drop(LockTxn state, AbortReason reason, Supplier<String> message, List<KeySpan> freed,
            List<Runnable> effects) {
        for (LockHolder holder : state.held.values()) {
            held.remove(holder);
            freed.add(holder.span);
        }
        state.held.clear();
        for (LockRequest request : new ArrayList<>(state.waiting)) {
            dequeue(request);
            freed.add(request.span);
            fail(request, reason, message.get(), effects);
        }
    }

    private static void fail(LockRequest request, AbortReason reason, String message, List<Runnable> effects) {
        TxnAbortedException failure = new TxnAbortedException(reason, message);
        effects.add(() -> request.future.completeExceptionally(failure));
    }

    /** True when {@code a} is older than {@code b}. */
    private static boolean isOlder(LockTxn a, LockTxn b) {
        return TXN_AGE.compare(a, b) < 0;
    }

    /** Runs every effect, outside the monitor; the first failure is thrown after the rest ran. */
    private static void runAll(List<Runnable> effects) {
        RuntimeException first = null;
        for (Runnable effect : effects) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** What the table knows of one transaction that holds, waits or is marked committing. */
    private static final class LockTxn {
        final TxnId id;
        long priority;
        boolean committing;
        /** Its locks, one per span (the strongest mode taken on it). */
        final Map<KeySpan, LockHolder> held = new LinkedHashMap<>();
        final Set<LockRequest> waiting = new LinkedHashSet<>();

        LockTxn(TxnId id, long priority) {
            this.id = id;
            this.priority = priority;
        }

        boolean isIdle() {
            return held.isEmpty() && waiting.isEmpty();
        }
    }

    /** A granted lock. Compared by identity. */
    private static final class LockHolder {
        final LockTxn txn;
        final KeySpan span;
        Mode mode;

        LockHolder(LockTxn txn, KeySpan span, Mode mode) {
            this.txn = txn;
            this.span = span;
            this.mode = mode;
        }

        @Override
        public String toString() {
            return txn.id + " holds " + mode + " " + span;
        }
    }

    /** A waiting request. Compared by identity. */
    private static final class LockRequest {
        final LockTxn txn;
        final KeySpan span;
        final Mode mode;
        final long sequence;
        final CompletableFuture<Void> future;
        Scheduler.Cancellable timer;
        /** It found a younger committing holder in its way when it was decided. */
        boolean behindYoungerCommitting;

        LockRequest(LockTxn txn, KeySpan span, Mode mode, long sequence, CompletableFuture<Void> future) {
            this.txn = txn;
            this.span = span;
            this.mode = mode;
            this.sequence = sequence;
            this.future = future;
        }

        @Override
        public String toString() {
            return txn.id + " waits for " + mode + " " + span;
        }
    }
}
