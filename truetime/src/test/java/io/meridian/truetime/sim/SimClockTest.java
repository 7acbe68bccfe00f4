package io.meridian.truetime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.FixedEpsilonSource;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Shows SimClock's error models: linear drift in ppm, step jumps (wall clock only), sinusoidal
// drift, fixed skew, continuity when the model changes, a monotonic reading that never goes back,
// and that a skew beyond the claimed ε puts true time outside a fixed-ε interval.
class SimClockTest {

    private static final long START_MICROS = 1_700_000_000_000_000L;
    private final SimScheduler scheduler = new SimScheduler(START_MICROS);
    private final SimClock clock = new SimClock(scheduler::nowMicros);

    @Test
    void aClockWithoutErrorsReadsTrueTime() {
        scheduler.runFor(Duration.ofSeconds(3));
        assertEquals(scheduler.nowMicros(), clock.nowMicros());
        assertEquals(scheduler.nowMicros(), clock.monotonicMicros());
        assertEquals(scheduler.nowMicros(), clock.trueMicros());
    }

    @Test
    void linearDriftGainsPpmMicrosecondsPerSecond() {
        clock.setDriftPpm(150);
        scheduler.runFor(Duration.ofSeconds(2));
        assertEquals(300, clock.errorMicros());
        assertEquals(300, clock.monotonicMicros() - clock.trueMicros());

        clock.setDriftPpm(-50); // continuous: the 300 µs gained so far stay
        scheduler.runFor(Duration.ofSeconds(4));
        assertEquals(100, clock.errorMicros());
    }

    @Test
    void stepsMoveOnlyTheWallClock() {
        long monotonicBefore = clock.monotonicMicros();
        clock.step(Duration.ofMillis(-700)).step(Duration.ofMillis(200));
        assertEquals(-500_000, clock.errorMicros());
        assertEquals(monotonicBefore, clock.monotonicMicros());
    }

    @Test
    void skewIsAFixedWallOffset() {
        clock.setSkew(Duration.ofMillis(40));
        scheduler.runFor(Duration.ofSeconds(10));
        assertEquals(40_000, clock.errorMicros());
        clock.setSkew(Duration.ofMillis(-5));
        assertEquals(-5_000, clock.errorMicros());
    }

    @Test
    void periodicDriftIsASinusoid() {
        clock.setPeriodicDrift(Duration.ofMillis(2), Duration.ofSeconds(40));
        scheduler.runFor(Duration.ofSeconds(10));
        assertEquals(2_000, clock.errorMicros(), 1, "peak at a quarter period");
        scheduler.runFor(Duration.ofSeconds(10));
        assertEquals(0, clock.errorMicros(), 1);
        scheduler.runFor(Duration.ofSeconds(10));
        assertEquals(-2_000, clock.errorMicros(), 1);
        assertEquals(2 * Math.PI * 2_000 / 40, clock.maxRateErrorPpm(), 1e-9);
    }

    @Test
    void theMonotonicReadingNeverGoesBack() {
        Random random = new Random(7);
        clock.setDriftPpm(-900_000).setPeriodicDrift(Duration.ofNanos(9_000), Duration.ofMillis(1));
        long previous = clock.monotonicMicros();
        for (int i = 0; i < 100_000; i++) {
            scheduler.runFor(Duration.ofNanos(1_000L * random.nextInt(3)));
            if (i % 10_000 == 0) {
                clock.step(Duration.ofSeconds(-1));
            }
            long reading = clock.monotonicMicros();
            assertTrue(reading >= previous, "went back from " + previous + " to " + reading);
            previous = reading;
        }
    }

    @Test
    void refusesModelsThatStopTheClock() {
        assertThrows(IllegalArgumentException.class, () -> clock.setDriftPpm(-1_000_000));
        assertThrows(IllegalArgumentException.class,
                () -> clock.setPeriodicDrift(Duration.ofMillis(1), Duration.ofMillis(6)));
    }

    @Test
    void skewBeyondTheClaimedEpsilonEscapesTheInterval() {
        FixedEpsilonSource withinBound = new FixedEpsilonSource(clock.setSkew(Duration.ofMillis(1)), Duration.ofMillis(2));
        assertTrue(withinBound.now().contains(clock.trueMicros()));

        clock.setSkew(Duration.ofMillis(5));
        assertFalse(withinBound.now().contains(clock.trueMicros()), "true time is 5 ms from a 2 ms interval's centre");
    }
}
