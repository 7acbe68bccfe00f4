package io.meridian.truetime.sim;

import io.meridian.truetime.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One node's clock in a simulation: true time (read from a supplier, usually
 * {@code simScheduler::nowMicros}) plus an error model. The model has two parts:
 * <ul>
 *   <li>the <em>oscillator</em> error, which both readings share: linear drift at
 *       {@code driftPpm} parts per million and a sinusoidal wander of a given amplitude and
 *       period. It changes the rate of the clock, so it is what a drift bound is about;</li>
 *   <li>the <em>wall</em> offset, which only {@link #nowMicros()} sees: a fixed skew and the sum
 *       of all step jumps. The monotonic reading, like a real {@code CLOCK_MONOTONIC}, ignores it.</li>
 * </ul>
 * Changing the drift keeps the clock continuous: the error accumulated so far is kept and the new
 * rate applies from the current true time. Nothing stops a model from exceeding the bounds a
 * TrueTime source assumes; that is how tests show what the bounds are for.
 *
 * <p>Readings are floor-rounded to whole microseconds; the monotonic reading never decreases
 * while true time does not, because the models keep the clock's rate positive. Not thread-safe
 * when mutated; reads are as thread-safe as the supplier.
 */
public final class SimClock implements Clock {

    private static final double PARTS_PER_MILLION = 1_000_000.0;

    private final LongSupplier trueMicros;
    private long skewMicros;
    private long stepsMicros;
    private double oscillatorBaseMicros;
    private long originMicros;
    private double driftPpm;
    private double periodicAmplitudeMicros;
    private long periodicPeriodMicros = 1;

    /** A perfect clock over {@code trueMicros} until an error is set. */
    public SimClock(LongSupplier trueMicros) {
        this.trueMicros = Objects.requireNonNull(trueMicros, "trueMicros");
        this.originMicros = trueMicros.getAsLong();
    }

    /** True time: the oracle a checker compares against, never visible to the node itself. */
    public long trueMicros() {
        return trueMicros.getAsLong();
    }

    /** The node's wall clock: true time plus oscillator error, skew and steps. */
    @Override
    public long nowMicros() {
        return monotonicMicros() + skewMicros + stepsMicros;
    }

    /** True time plus the oscillator error only (no skew, no steps). */
    @Override
    public long monotonicMicros() {
        long t = trueMicros.getAsLong();
        return t + (long) Math.floor(oscillatorErrorMicros(t));
    }

    /** The wall clock's current error, {@code nowMicros() - trueMicros()}. */
    public long errorMicros() {
        return nowMicros() - trueMicros();
    }

    /** Sets the fixed offset of the wall clock from true time (replacing the previous skew). */
    public SimClock setSkew(Duration skew) {
        this.skewMicros = TimeUnit.MICROSECONDS.convert(skew);
        return this;
    }

    /** Jumps the wall clock by {@code jump} now (forwards or backwards); steps add up. */
    public SimClock step(Duration jump) {
        this.stepsMicros = Math.addExact(stepsMicros, TimeUnit.MICROSECONDS.convert(jump));
        return this;
    }

    /**
     * Sets linear drift: from now on the clock gains {@code ppm} microseconds per second of true
     * time (negative: loses). Continuous at the current instant.
     *
     * @throws IllegalArgumentException if the clock would stop or run backwards
     */
    public SimClock setDriftPpm(double ppm) {
        checkRate(ppm, periodicAmplitudeMicros, periodicPeriodMicros);
        rebase();
        this.driftPpm = ppm;
        return this;
    }

    /**
     * Sets a sinusoidal wander {@code amplitude · sin(2π · elapsed / period)}, starting from zero
     * at the current instant (replacing any previous wander, continuously).
     *
     * @throws IllegalArgumentException if the period is not positive or the clock would stop or
     *                                  run backwards
     */
    public SimClock setPeriodicDrift(Duration amplitude, Duration period) {
        long amplitudeMicros = TimeUnit.MICROSECONDS.convert(amplitude);
        long periodMicros = TimeUnit.MICROSECONDS.convert(period);
        if (periodMicros <= 0 || amplitudeMicros < 0) {
            throw new IllegalArgumentException("need amplitude >= 0 and period > 0: " + amplitude + ", " + period);
        }
        checkRate(driftPpm, amplitudeMicros, periodMicros);
        rebase();
        this.periodicAmplitudeMicros = amplitudeMicros;
        this.periodicPeriodMicros = periodMicros;
        return this;
    }

    /**
     * The largest rate error of the oscillator, in parts per million: {@code |driftPpm|} plus
     * the sinusoid's steepest slope. Compare with a source's drift bound.
     */
    public double maxRateErrorPpm() {
        return Math.abs(driftPpm) + periodicSlopePpm(periodicAmplitudeMicros, periodicPeriodMicros);
    }

    private double oscillatorErrorMicros(long t) {
        long elapsed = t - originMicros;
        double linear = driftPpm * elapsed / PARTS_PER_MILLION;
        double periodic = periodicAmplitudeMicros == 0 ? 0
                : periodicAmplitudeMicros * StrictMath.sin(2 * Math.PI * elapsed / periodicPeriodMicros);
        return oscillatorBaseMicros + linear + periodic;
    }

    /** Folds the error so far into the base, so a model change starts from the current error. */
    private void rebase() {
        long t = trueMicros.getAsLong();
        oscillatorBaseMicros = oscillatorErrorMicros(t);
        originMicros = t;
    }

    private static double periodicSlopePpm(double amplitudeMicros, long periodMicros) {
        return 2 * Math.PI * amplitudeMicros / periodMicros * PARTS_PER_MILLION;
    }

    private static void checkRate(double ppm, double amplitudeMicros, long periodMicros) {
        double worst = Math.abs(ppm) + periodicSlopePpm(amplitudeMicros, periodMicros);
        if (!(worst < PARTS_PER_MILLION)) {
            throw new IllegalArgumentException("clock rate error " + worst + " ppm would stop the clock");
        }
    }
}
