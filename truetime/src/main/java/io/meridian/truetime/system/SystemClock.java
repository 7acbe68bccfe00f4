package io.meridian.truetime.system;

import io.meridian.truetime.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

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

    /**
     * The system clock with {@code offsetMicros} (read at every reading) added to its wall and
     * not to its monotonic reading: a wall clock stepped by that much, for fault injection.
     */
    public static Clock withWallOffset(LongSupplier offsetMicros) {
        Objects.requireNonNull(offsetMicros, "offsetMicros");
        return new Clock() {
            @Override
            public long nowMicros() {
                return wallMicros() + offsetMicros.getAsLong();
            }

            @Override
            public long monotonicMicros() {
                return INSTANCE.monotonicMicros();
            }
        };
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
