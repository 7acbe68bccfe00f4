package io.meridian.truetime.sim;

import io.meridian.truetime.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link Scheduler} that is also the simulation's true time. Tasks wait in one
 * queue ordered by (due time, submission sequence); {@link #runNext()} and {@link #runUntil}
 * run them on the caller's thread, moving true time to each task's due time. Nothing runs by
 * itself, and two runs with the same calls give the same order.
 *
 * <p>Delays are measured in true time. A real node's timers run on its own drifting oscillator;
 * code that needs a time-based condition re-checks it when the task runs, so the difference
 * only shifts when conditions are noticed.
 *
 * <p>Not thread-safe: one simulation thread drives it.
 */
public final class SimScheduler implements Scheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowMicros;
    private long sequence;

    /**
     * A simulation whose true time starts at {@code startMicros}.
     *
     * @throws IllegalArgumentException if {@code startMicros} is negative
     */
    public SimScheduler(long startMicros) {
        if (startMicros < 0) {
            throw new IllegalArgumentException("start time must not be negative: " + startMicros);
        }
        this.nowMicros = startMicros;
    }

    /** The current true time, in microseconds since the epoch. */
    public long nowMicros() {
        return nowMicros;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMicros) {
        Objects.requireNonNull(task, "task");
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delayMicros);
        }
        Task scheduled = new Task(Math.addExact(nowMicros, delayMicros), sequence++, task);
        queue.add(scheduled);
        return scheduled::cancel;
    }

    /**
     * Runs the earliest pending task, first moving true time to its due time.
     *
     * @return false if no task was pending
     */
    public boolean runNext() {
        Task task = pollLive();
        if (task == null) {
            return false;
        }
        nowMicros = task.dueMicros;
        task.started = true;
        task.runnable.run();
        return true;
    }

    /**
     * Runs every task due at or before {@code untilMicros}, in order (including tasks they
     * schedule inside the window), then sets true time to {@code untilMicros}.
     *
     * @throws IllegalArgumentException if {@code untilMicros} is in the past
     */
    public void runUntil(long untilMicros) {
        if (untilMicros < nowMicros) {
            throw new IllegalArgumentException("cannot run back to " + untilMicros + " from " + nowMicros);
        }
        while (true) {
            Task next = peekLive();
            if (next == null || next.dueMicros > untilMicros) {
                break;
            }
            runNext();
        }
        nowMicros = untilMicros;
    }

    /** {@link #runUntil} {@code duration} from now. */
    public void runFor(Duration duration) {
        runUntil(Math.addExact(nowMicros, TimeUnit.MICROSECONDS.convert(duration)));
    }

    /** The number of tasks waiting to run (cancelled ones excluded). */
    public int pendingTasks() {
        int live = 0;
        for (Task task : queue) {
            if (!task.cancelled) {
                live++;
            }
        }
        return live;
    }

    private Task peekLive() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        return queue.peek();
    }

    private Task pollLive() {
        Task task = peekLive();
        return task == null ? null : queue.poll();
    }

    /** A queued task; ordered by due time, then by submission. */
    private static final class Task implements Comparable<Task> {
        final long dueMicros;
        final long sequence;
        final Runnable runnable;
        boolean cancelled;
        boolean started;

        Task(long dueMicros, long sequence, Runnable runnable) {
            this.dueMicros = dueMicros;
            this.sequence = sequence;
            this.runnable = runnable;
        }

        boolean cancel() {
            if (cancelled || started) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueMicros, other.dueMicros);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
