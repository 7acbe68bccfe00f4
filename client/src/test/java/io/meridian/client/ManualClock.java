package io.meridian.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RetryClock} for tests: time stands still except when a retry waits, which records
 * the wait, advances time by it and returns at once. Tests assert the waits asked for, never
 * wall-clock time.
 */
final class ManualClock implements RetryClock {

    private final List<Duration> waits = new ArrayList<>();
    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized CompletableFuture<Void> delay(Duration delay) {
        waits.add(delay);
        nanos += delay.toNanos();
        return CompletableFuture.completedFuture(null);
    }

    /** Moves time forward by {@code duration} without recording a wait. */
    synchronized void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    /** The waits retries asked for, in order. */
    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}
