package io.meridian.truetime.system;

import io.meridian.truetime.Scheduler;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on real daemon threads (a {@link ScheduledThreadPoolExecutor}). Delays are
 * measured on the monotonic clock. A task that throws is logged and does not stop the scheduler.
 * Cancelled tasks are removed at once.
 *
 * <p>Thread-safe. After {@link #close()} no task runs and {@link #schedule} throws
 * {@link java.util.concurrent.RejectedExecutionException}.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExecutorScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    /** A scheduler with one daemon thread called {@code threadName-0}. */
    public ExecutorScheduler(String threadName) {
        this(threadName, 1);
    }

    /**
     * A scheduler with {@code threads} daemon threads named {@code threadNamePrefix-N}.
     *
     * @throws IllegalArgumentException if {@code threads} is below one
     */
    public ExecutorScheduler(String threadNamePrefix, int threads) {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one thread: " + threads);
        }
        executor = new ScheduledThreadPoolExecutor(threads,
                Thread.ofPlatform().daemon().name(threadNamePrefix + "-", 0).factory());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMicros) {
        Objects.requireNonNull(task, "task");
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delayMicros);
        }
        ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), delayMicros, TimeUnit.MICROSECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the threads; queued tasks never run. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "scheduled task failed", e);
            throw e;
        }
    }
}
