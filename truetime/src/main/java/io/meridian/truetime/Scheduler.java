package io.meridian.truetime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay: the seam through which protocol code waits, instead of sleeping
 * or owning threads. Production uses {@code io.meridian.truetime.system.ExecutorScheduler};
 * simulations use {@code io.meridian.truetime.sim.SimScheduler}, which runs tasks in (time,
 * submission) order on the caller's thread.
 *
 * <p>A delay is a lower bound measured on the scheduler's own time base: a task never runs
 * before its delay has elapsed, but may run later. Code that needs a time-based condition to
 * hold (for example {@link CommitWait}) re-checks it when the task runs.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, no sooner than {@code delayMicros} from now.
     *
     * @param delayMicros zero or more microseconds
     * @return a handle that cancels the task if it has not started
     * @throws IllegalArgumentException if {@code delayMicros} is negative
     */
    Cancellable schedule(Runnable task, long delayMicros);

    /** As {@link #schedule(Runnable, long)}, with the delay as a {@link Duration} (saturating). */
    default Cancellable schedule(Runnable task, Duration delay) {
        return schedule(task, TimeUnit.MICROSECONDS.convert(delay));
    }

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {

        /**
         * Prevents the task from running if it has not started. Idempotent and thread-safe.
         *
         * @return true if this call stopped the task from running
         */
        boolean cancel();
    }
}
