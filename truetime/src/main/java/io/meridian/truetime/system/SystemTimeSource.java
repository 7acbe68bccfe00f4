package io.meridian.truetime.system;

import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TrueTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * TrueTime as a configured, fixed ε around the system wall clock: {@code [wall - ε, wall + ε]}.
 * Correct only while the system clock is within ε of true time, and blind to its steps: nodes use
 * {@link io.meridian.truetime.StepCheckedTimeSource} instead; this one serves tools and
 * benchmarks that need nothing more.
 *
 * <p>Thread-safe and lock-free; {@link #now()} reads the clock once and allocates one interval.
 */
public final class SystemTimeSource implements TrueTime {

    /** A development default for ε: 1 ms. */
    public static final Duration DEFAULT_EPSILON = Duration.ofMillis(1);

    private final long epsilonMicros;

    /**
     * ε {@code epsilon} around the system clock.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative
     */
    public SystemTimeSource(Duration epsilon) {
        if (epsilon.isNegative()) {
            throw new IllegalArgumentException("epsilon must not be negative: " + epsilon);
        }
        this.epsilonMicros = TimeUnit.MICROSECONDS.convert(epsilon);
    }

    /** The configured ε. */
    public Duration epsilon() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(epsilonMicros));
    }

    @Override
    public TTInterval now() {
        return TTInterval.around(SystemClock.wallMicros(), epsilonMicros);
    }
}
