package io.meridian.groups;

import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Reads waiting for a replica's safe time to reach their timestamp. {@link #advanced} (called
 * on every apply) releases the waits it satisfies; a wait not satisfied within its limit fails
 * with {@link SafeTimeWaitTimeoutException}, from a {@link Scheduler} task.
 *
 * <p>Thread-safe. Futures complete on the thread that calls {@link #advanced} (the apply
 * thread) or on the scheduler's: chain heavy work with an executor.
 */
final class SafeTimeWaiters {

    private final Scheduler scheduler;
    private final Supplier<Timestamp> safeTs;
    private final Supplier<String> heldBackBy;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(Comparator.comparing(Waiter::target));
    private boolean closed;

    /** One wait. */
    private static final class Waiter {
        private final Timestamp target;
        private final CompletableFuture<Timestamp> done = new CompletableFuture<>();
        private volatile Scheduler.Cancellable timeout;

        Waiter(Timestamp target) {
            this.target = target;
        }

        Timestamp target() {
            return target;
        }
    }

    /**
     * @param safeTs     the safe time now
     * @param heldBackBy says what holds the safe time back, for the error of a wait that expires
     */
    SafeTimeWaiters(Scheduler scheduler, Supplier<Timestamp> safeTs, Supplier<String> heldBackBy) {
        this.scheduler = scheduler;
        this.safeTs = safeTs;
        this.heldBackBy = heldBackBy;
    }

    /** Completes with the safe time once it is at least {@code target}; at once if it is. */
    CompletableFuture<Timestamp> await(Timestamp target, Duration maxWait) {
        Timestamp now = safeTs.get();
        if (!now.isBefore(target)) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter waiter = new Waiter(target);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the replica is closed"));
            }
            waiting.add(waiter);
        }
        waiter.timeout = scheduler.schedule(() -> expire(waiter), maxWait);
        // An apply may have come between the first look and the registration.
        advanced(safeTs.get());
        return waiter.done;
    }

    /** The safe time is now {@code safe}: releases every wait it satisfies. */
    void advanced(Timestamp safe) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && !waiting.peek().target.isAfter(safe)) {
                ready.add(waiting.poll());
            }
        }
        for (Waiter waiter : ready) {
            Scheduler.Cancellable timeout = waiter.timeout;
            if (timeout != null) {
                timeout.cancel();
            }
            waiter.done.complete(safe);
        }
    }

    /** Fails every pending wait; later waits fail at once. Idempotent. */
    void close() {
        List<Waiter> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Waiter waiter : pending) {
            Scheduler.Cancellable timeout = waiter.timeout;
            if (timeout != null) {
                timeout.cancel();
            }
            waiter.done.completeExceptionally(new IllegalStateException("the replica is closed"));
        }
    }

    private void expire(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(waiter);
        }
        if (removed) {
            waiter.done.completeExceptionally(new SafeTimeWaitTimeoutException(waiter.target, safeTs.get(),
                    heldBackBy.get()));
        }
    }
}
