package io.meridian.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time the retry loops read and the timer they wait on: the system clock in production,
 * a manual one in tests (so a test asserts which waits were asked for, not how long it slept).
 */
interface RetryClock {

    /** A monotonic time in nanoseconds, for deadlines. */
    long nanoTime();

    /** A future completed once {@code delay} has passed. */
    CompletableFuture<Void> delay(Duration delay);

    /** The system's monotonic clock and a timer on {@link CompletableFuture#delayedExecutor}. */
    static RetryClock system() {
        return new RetryClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public CompletableFuture<Void> delay(Duration delay) {
                return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
            }
        };
    }
}
