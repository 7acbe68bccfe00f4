package io.meridian.truetime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Self-fencing: a node whose TrueTime uncertainty ε exceeds {@code max_epsilon} stops
 * assigning timestamps and serving strong reads, reports itself unhealthy, and recovers when ε
 * falls again. Fenced exactly when {@code now().epsilonMicros() > maxEpsilonMicros}.
 *
 * <p>Every {@link #status()} or {@link #nowIfServing()} call judges a fresh interval, so a
 * caller that uses the interval it was given never acts on a too-wide one. A transition between
 * serving and fenced is noticed by whichever call first observes it (or by {@link #watch}'s
 * periodic check) and announced to the listeners. The fence starts out fenced, so the first
 * serving judgement is announced as a transition.
 *
 * <p>Thread-safe. Judgements are lock-free; transitions are serialised under a lock, each one
 * re-judged under it, so listeners see transitions in the order they happened, one at a time,
 * on the thread that noticed them. Listeners must be quick and must not call back into the fence
 * from another thread while blocking this one.
 */
public final class EpsilonFence {

    /** The default {@code max_epsilon}: 10 ms. */
    public static final Duration DEFAULT_MAX_EPSILON = Duration.ofMillis(10);

    private final TrueTime trueTime;
    private final long maxEpsilonMicros;
    private final List<Consumer<FenceStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Object transitionLock = new Object();
    private volatile boolean serving;

    /**
     * Fences {@code trueTime} at {@code maxEpsilon}.
     *
     * @throws IllegalArgumentException if {@code maxEpsilon} is negative
     */
    public EpsilonFence(TrueTime trueTime, Duration maxEpsilon) {
        this.trueTime = Objects.requireNonNull(trueTime, "trueTime");
        if (maxEpsilon.isNegative()) {
            throw new IllegalArgumentException("max epsilon must not be negative: " + maxEpsilon);
        }
        this.maxEpsilonMicros = TimeUnit.MICROSECONDS.convert(maxEpsilon);
    }

    /** The bound ε must not exceed. */
    public Duration maxEpsilon() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(maxEpsilonMicros));
    }

    /** Judges the current interval, announcing a transition if this is one. */
    public FenceStatus status() {
        FenceStatus status = judge(trueTime.now());
        if ((status instanceof FenceStatus.Serving) != serving) {
            synchronized (transitionLock) {
                status = judge(trueTime.now());
                boolean nowServing = status instanceof FenceStatus.Serving;
                if (nowServing != serving) {
                    serving = nowServing;
                    for (Consumer<FenceStatus> listener : listeners) {
                        listener.accept(status);
                    }
                }
            }
        }
        return status;
    }

    /** The current interval if ε is within the bound, empty if the node is fenced. */
    public Optional<TTInterval> nowIfServing() {
        return switch (status()) {
            case FenceStatus.Serving serving -> Optional.of(serving.now());
            case FenceStatus.Fenced fenced -> Optional.empty();
        };
    }

    /**
     * The last judgement, without reading the clock: the health flag a node reports. Stale by
     * at most the time since the last {@link #status()} call or {@link #watch} check.
     */
    public boolean isServing() {
        return serving;
    }

    /**
     * Calls {@code listener} with the new status at every transition between serving and
     * fenced, from the thread that noticed it.
     */
    public void addListener(Consumer<FenceStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Judges the interval now and then every {@code checkInterval} on {@code scheduler}, so
     * transitions are noticed even when nobody asks for time. Cancel the handle to stop.
     */
    public Scheduler.Cancellable watch(Scheduler scheduler, Duration checkInterval) {
        long intervalMicros = TimeUnit.MICROSECONDS.convert(checkInterval);
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("check interval must be positive: " + checkInterval);
        }
        Watch watch = new Watch(scheduler, intervalMicros);
        watch.run();
        return watch;
    }

    private FenceStatus judge(TTInterval now) {
        return now.epsilonMicros() <= maxEpsilonMicros
                ? new FenceStatus.Serving(now)
                : new FenceStatus.Fenced(now, maxEpsilonMicros);
    }

    /** The periodic check behind {@link #watch}. */
    private final class Watch implements Runnable, Scheduler.Cancellable {
        private final Scheduler scheduler;
        private final long intervalMicros;
        private volatile boolean cancelled;
        private volatile Scheduler.Cancellable pending;

        Watch(Scheduler scheduler, long intervalMicros) {
            this.scheduler = scheduler;
            this.intervalMicros = intervalMicros;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            status();
            pending = scheduler.schedule(this, intervalMicros);
        }

        @Override
        public boolean cancel() {
            boolean wasActive = !cancelled;
            cancelled = true;
            Scheduler.Cancellable task = pending;
            if (task != null) {
                task.cancel();
            }
            return wasActive;
        }
    }
}
