package io.meridian.truetime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * TrueTime as a fixed ε around any {@link Clock}: {@code [clock - ε, clock + ε]}. Correct only
 * while the clock's error stays within ε, which nothing here checks. Used in simulations (over a
 * {@code SimClock}, whose skew may deliberately exceed ε) and to build simulated time masters;
 * production's equivalent over the system clock is {@code system.SystemTimeSource}.
 *
 * <p>Thread-safe if the clock is; {@link #now()} allocates one interval.
 */
public final class FixedEpsilonSource implements TrueTime {

    private final Clock clock;
    private final long epsilonMicros;

    /**
     * ε {@code epsilon} around {@code clock}'s wall reading.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative
     */
    public FixedEpsilonSource(Clock clock, Duration epsilon) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (epsilon.isNegative()) {
            throw new IllegalArgumentException("epsilon must not be negative: " + epsilon);
        }
        this.epsilonMicros = TimeUnit.MICROSECONDS.convert(epsilon);
    }

    /** {@code [clock.nowMicros() - ε, clock.nowMicros() + ε]}. */
    @Override
    public TTInterval now() {
        return TTInterval.around(clock.nowMicros(), epsilonMicros);
    }
}
