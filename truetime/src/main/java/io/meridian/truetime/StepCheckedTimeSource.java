package io.meridian.truetime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * TrueTime as ±ε around a node's wall clock, with every step of the wall clock caught by the
 * monotonic clock. A wall clock kept by NTP or chrony is slewed, and slewing changes the rate of
 * the monotonic clock too, so {@code wall − monotonic} stays constant; only a step (an operator,
 * a daemon stepping the clock, a leap second, a fault) changes it. This source records that
 * difference when it is built (the <em>baseline</em>) and measures the step at every
 * {@link #now()}: the wall minus the wall the baseline predicts from the monotonic clock.
 *
 * <p>After a step of {@code s}, either the wall is right now or it was right before; nothing
 * local can tell which. So {@code now()} widens ε by {@code |s|} on both sides of the wall, which
 * holds both: TrueTime stays honest through a step of any size, in either direction, the moment
 * the step happens. A step larger than {@code max_epsilon − ε} makes the {@link EpsilonFence}
 * fence the node. When the wall comes back to the baseline, ε is back to normal. When the node's
 * peers tell the two apart and a majority of them side with the stepped wall
 * ({@link #judgeStep}), the step was a correction and the wall becomes the new baseline. The peer
 * check ({@link PeerCheckedTimeSource}) is also what catches a clock that was already wrong when
 * the source started or that runs at the wrong rate: no step shows those.
 *
 * <p>The wall and the monotonic clock cannot be read at one instant. Each {@code now()} reads the
 * monotonic clock on both sides of the wall reading (again, a few times, if something interrupted
 * it for longer than {@link #BRACKET_LIMIT_MICROS}), and counts the whole bracket in the step, so
 * the interval is honest even for a reading that was interrupted.
 *
 * <p>Thread-safe and lock-free: {@code now()} reads the clock three times and allocates one
 * interval.
 */
public final class StepCheckedTimeSource implements TrueTime {

    /** A bracket longer than this (µs) is read again, up to {@link #READ_ATTEMPTS} times. */
    static final long BRACKET_LIMIT_MICROS = 20;
    private static final int READ_ATTEMPTS = 3;

    /** How close (µs) the step must still be to the one peers judged for the judgement to count. */
    private static final long STEP_MATCH_MICROS = 100;

    private final Clock clock;
    private final long epsilonMicros;
    private volatile long baselineMicros;

    /**
     * A peer's reading set against this source's two hypotheses at the moment it arrived.
     *
     * @param peer     the peer's name, for reports
     * @param reading  the peer's interval, widened by the round trip
     * @param wall     ±ε around the (stepped) wall at arrival: {@link #wallNow()}
     * @param baseline ±ε around the wall the baseline predicts at arrival: {@link #baselineNow()}
     */
    public record StepWitness(String peer, TTInterval reading, TTInterval wall, TTInterval baseline) {
        public StepWitness {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(reading, "reading");
            Objects.requireNonNull(wall, "wall");
            Objects.requireNonNull(baseline, "baseline");
        }

        /** True when the reading agrees with the stepped wall and rules out the baseline. */
        public boolean sidesWithTheWall() {
            return reading.overlaps(wall) && !reading.overlaps(baseline);
        }
    }

    /**
     * ε {@code epsilon} around {@code clock}'s wall, with its current {@code wall − monotonic} as
     * the baseline.
     *
     * @throws IllegalArgumentException if {@code epsilon} is negative
     */
    public StepCheckedTimeSource(Clock clock, Duration epsilon) {
        if (epsilon.isNegative()) {
            throw new IllegalArgumentException("epsilon must not be negative: " + epsilon);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.epsilonMicros = TimeUnit.MICROSECONDS.convert(epsilon);
        Reading reading = read();
        this.baselineMicros = reading.wall - reading.monotonicBefore;
    }

    /** The configured ε, which {@link #now()} claims while the wall has not stepped. */
    public Duration epsilon() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(epsilonMicros));
    }

    @Override
    public TTInterval now() {
        Reading reading = read();
        return TTInterval.around(reading.wall, Math.addExact(epsilonMicros, reading.stepBound(baselineMicros)));
    }

    /**
     * How far the wall has stepped from the baseline now, in µs (positive: ahead), within the
     * read's bracket; 0 while the wall is where the monotonic clock says it should be.
     */
    public long stepMicros() {
        Reading reading = read();
        long low = reading.stepLow(baselineMicros);
        long high = reading.stepHigh(baselineMicros);
        if (low > 0) {
            return low;
        }
        return Math.min(high, 0);
    }

    /** ±ε around the wall as it reads now, stepped or not: what the wall alone claims. */
    public TTInterval wallNow() {
        return TTInterval.around(read().wall, epsilonMicros);
    }

    /**
     * ±ε around the wall the baseline predicts now (widened by the read's bracket): what the
     * wall would claim had it not stepped.
     */
    public TTInterval baselineNow() {
        Reading reading = read();
        return new TTInterval(reading.monotonicBefore + baselineMicros - epsilonMicros,
                reading.monotonicAfter + baselineMicros + epsilonMicros);
    }

    /**
     * Lets the peers judge a step of {@code stepMicros} (as {@link #stepMicros()} read it before
     * they were asked): when a strict majority of all {@code peerCount} peers side with the wall
     * and rule out the baseline, the step was a correction and the wall becomes the baseline, so
     * ε is back to normal. Nothing changes when the wall has stepped again since (by more than
     * 100 µs), when no step was judged, or when fewer peers side with the wall. A step smaller
     * than about twice ε plus a round trip leaves the two hypotheses overlapping every honest
     * reading, so it is never accepted this way: it stays widened until it is undone.
     *
     * @return whether the wall became the baseline
     */
    public synchronized boolean judgeStep(long stepMicros, List<StepWitness> witnesses, int peerCount) {
        if (stepMicros == 0 || peerCount == 0) {
            return false;
        }
        long siding = witnesses.stream().filter(StepWitness::sidesWithTheWall).count();
        if (siding < peerCount / 2 + 1 || Math.abs(stepMicros() - stepMicros) > STEP_MATCH_MICROS) {
            return false;
        }
        baselineMicros += stepMicros;
        return true;
    }

    private Reading read() {
        long before;
        long wall;
        long after;
        int attempts = 0;
        do {
            before = clock.monotonicMicros();
            wall = clock.nowMicros();
            after = clock.monotonicMicros();
        } while (after - before > BRACKET_LIMIT_MICROS && ++attempts < READ_ATTEMPTS);
        return new Reading(before, wall, after);
    }

    /** One wall reading, bracketed by two monotonic readings. */
    private record Reading(long monotonicBefore, long wall, long monotonicAfter) {

        // The wall the baseline predicts lies between monotonicBefore + baseline and
        // monotonicAfter + baseline, so the step lies between stepLow and stepHigh.

        long stepLow(long baselineMicros) {
            return wall - monotonicAfter - baselineMicros;
        }

        long stepHigh(long baselineMicros) {
            return wall - monotonicBefore - baselineMicros;
        }

        /** The largest step, either way, this reading is consistent with. */
        long stepBound(long baselineMicros) {
            return Math.max(Math.abs(stepLow(baselineMicros)), Math.abs(stepHigh(baselineMicros)));
        }
    }
}
