package io.meridian.truetime.system;

import io.meridian.truetime.Clock;
import java.time.Instant;

/**
 * The operating system's clock: the wall clock through {@link Instant#now()} (microsecond
 * resolution where the platform has it) and the monotonic clock through
 * {@link System#nanoTime()}. Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class SystemClock implements Clock {

    /** The one instance. */
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    /** The system wall clock, in microseconds since the epoch. Allocation-free once inlined. */
    public static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public long nowMicros() {
        return wallMicros();
    }

    @Override
    public long monotonicMicros() {
        return System.nanoTime() / 1_000;
    }
}
