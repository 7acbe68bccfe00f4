package io.meridian.truetime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Commit wait (Spanner §4.1.2): a future that completes once {@code trueTime.after(t)} has been
 * observed true, so a commit at {@code t} is acknowledged only when {@code t} has certainly
 * passed everywhere.
 *
 * <p>No thread sleeps. Each check reads {@link TrueTime#now()}; if {@code earliest <= t} it
 * schedules the next check {@code t - earliest + 1} µs later, the earliest moment the
 * condition could hold if the clock ran at exactly true rate, capped at {@code maxRecheckDelay}
 * so that a source whose ε shrinks (a time-master poll landing, or a source recovering from
 * {@link TTInterval#UNBOUNDED}) is noticed promptly. Every delay is at least 1 µs, so it never
 * spins. The future never completes early: the only completion follows an {@code after(t)} that
 * returned true.
 *
 * <p>Thread-safe. An already-passed {@code t} completes before {@link #waitUntilAfter} returns;
 * otherwise the future completes on the scheduler's thread (chain with an {@code *Async}
 * method and your own executor if the continuation is heavy). Cancelling the future cancels the
 * pending check. If {@code now()} or the scheduler throws, the future completes exceptionally.
 */
public final class CommitWait {

    /** The default cap on the time between two checks: 10 ms. */
    public static final Duration DEFAULT_MAX_RECHECK_DELAY = Duration.ofMillis(10);

    private final TrueTime trueTime;
    private final Scheduler scheduler;
    private final long maxRecheckDelayMicros;

    /** Commit wait over {@code trueTime}, checking at most every {@link #DEFAULT_MAX_RECHECK_DELAY}. */
    public CommitWait(TrueTime trueTime, Scheduler scheduler) {
        this(trueTime, scheduler, DEFAULT_MAX_RECHECK_DELAY);
    }

    /**
     * Commit wait over {@code trueTime} with a cap on the time between two checks.
     *
     * @throws IllegalArgumentException if {@code maxRecheckDelay} is below 1 µs
     */
    public CommitWait(TrueTime trueTime, Scheduler scheduler, Duration maxRecheckDelay) {
        this.trueTime = Objects.requireNonNull(trueTime, "trueTime");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.maxRecheckDelayMicros = TimeUnit.MICROSECONDS.convert(maxRecheckDelay);
        if (maxRecheckDelayMicros < 1) {
            throw new IllegalArgumentException("max recheck delay must be at least 1 us: " + maxRecheckDelay);
        }
    }

    /**
     * A future that completes with {@code t} once {@code trueTime.after(t)} has been observed.
     * Idempotent in effect: calling it twice for the same {@code t} gives two independent waits.
     */
    public CompletableFuture<Timestamp> waitUntilAfter(Timestamp t) {
        Waiter waiter = new Waiter(Objects.requireNonNull(t, "t"));
        waiter.run();
        if (!waiter.result.isDone()) {
            waiter.result.whenComplete((value, failure) -> waiter.cancelPending());
        }
        return waiter.result;
    }

    /** One wait: checks, and reschedules itself until the condition holds. */
    private final class Waiter implements Runnable {
        final Timestamp t;
        final CompletableFuture<Timestamp> result = new CompletableFuture<>();
        private volatile Scheduler.Cancellable pending;

        Waiter(Timestamp t) {
            this.t = t;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return; // cancelled by the caller
            }
            try {
                TTInterval now = trueTime.now();
                if (now.after(t)) {
                    result.complete(t);
                    return;
                }
                // earliest <= t here, so the delay is at least 1 us and cannot overflow.
                long delayMicros = Math.min(t.micros() - now.earliestMicros() + 1, maxRecheckDelayMicros);
                pending = scheduler.schedule(this, delayMicros);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void cancelPending() {
            Scheduler.Cancellable task = pending;
            if (task != null && result.isCancelled()) {
                task.cancel();
            }
        }
    }
}
