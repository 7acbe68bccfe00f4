package io.meridian.truetime.system;

import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TrueTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * TrueTime as a configured, fixed ε around the system wall clock: {@code [wall - ε, wall + ε]}.
 * The development default. Correct only while the system clock is within ε of true time (for
 * one machine, or machines kept in step by NTP/chrony with ε chosen above their offset).
 *
 * <p>Thread-safe and lock-free; {@link #now()} reads the clock once and allocates one interval.
 */
public final class SystemTimeSource implements TrueTime {

    /** A development default for ε: 1 ms. */
    public static final Duration DEFAULT_EPSILON = Duration.ofMillis(1);

    private final long epsilonMicros;
    private final LongSupplier offsetMicros;

    /**
     * ε {@code epsilon} around the system clock.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative
     */
    public SystemTimeSource(Duration epsilon) {
        this(epsilon, () -> 0);
    }

    /**
     * ε {@code epsilon} around the system clock moved by {@code offsetMicros} (read at every
     * {@link #now()}): a clock that is off by that much, for fault injection. The interval is
     * still claimed to be ±ε, so an offset beyond ε makes this source lie, as a bad clock would.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative
     */
    public SystemTimeSource(Duration epsilon, LongSupplier offsetMicros) {
        if (epsilon.isNegative()) {
            throw new IllegalArgumentException("epsilon must not be negative: " + epsilon);
        }
        this.epsilonMicros = TimeUnit.MICROSECONDS.convert(epsilon);
        this.offsetMicros = Objects.requireNonNull(offsetMicros, "offsetMicros");
    }

    /** The configured ε. */
    public Duration epsilon() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(epsilonMicros));
    }

    @Override
    public TTInterval now() {
        return TTInterval.around(SystemClock.wallMicros() + offsetMicros.getAsLong(), epsilonMicros);
    }
}
