package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimTimeMasterClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Shows Spanner's sawtooth on simulated time: right after a poll ε is the masters' ε plus half
// the round trip (plus the drift allowed during the round trip), it grows by exactly 200 µs per
// second until the next poll, then drops back; true time stays inside now() while the local
// clock drifts up to the bound, and escapes it when the local clock drifts beyond the bound.
class TimeMasterSourceSawtoothTest {

    private static final long MASTER_EPSILON_MICROS = 1_000;
    private static final long ROUND_TRIP_MICROS = 5_000;
    private static final long POLL_INTERVAL_MICROS = 10_000_000;
    private static final TimeMasterSource.Config CONFIG =
            new TimeMasterSource.Config(Duration.ofSeconds(10), Duration.ofSeconds(1), 200);

    private final SimRig rig = new SimRig();

    private List<SimTimeMasterClient> threeHonestMasters() {
        Duration epsilon = SimRig.micros(MASTER_EPSILON_MICROS);
        Duration roundTrip = SimRig.micros(ROUND_TRIP_MICROS);
        return List.of(rig.honest("m1", epsilon, roundTrip), rig.honest("m2", epsilon, roundTrip),
                rig.honest("m3", epsilon, roundTrip));
    }

    @Test
    void epsilonFollowsTheSawtoothExactly() {
        TimeMasterSource source = rig.source(rig.clock(), threeHonestMasters(), CONFIG);
        long start = rig.now();
        source.start();
        assertEquals(TTInterval.UNBOUNDED, source.now(), "unknown before the first poll");

        // Sent at start, answered at start + 2.5 ms as [T - 1 ms, T + 1 ms], received at
        // start + 5 ms: true time there is in [T - 1 ms, T + 1 ms + rtt + rtt·200e-6].
        long received = start + ROUND_TRIP_MICROS;
        rig.scheduler.runUntil(received);
        long answered = start + ROUND_TRIP_MICROS / 2;
        assertEquals(new TTInterval(answered - 1_000, answered + 1_000 + 5_000 + 1), source.now());
        long epsilonAfterPoll = MASTER_EPSILON_MICROS + ROUND_TRIP_MICROS / 2 + 1;
        assertEquals(epsilonAfterPoll, source.now().epsilonMicros());

        // One second later the interval has moved by a second and grown 200 µs on each side.
        rig.scheduler.runUntil(received + 1_000_000);
        assertEquals(new TTInterval(answered - 1_000 + 1_000_000 - 200, answered + 6_001 + 1_000_000 + 200),
                source.now());
        assertEquals(epsilonAfterPoll + 200, source.now().epsilonMicros());

        // Just before the second poll's answer arrives ε has grown for 10 s less 1 µs: 2000 µs
        // on each side, rounded up.
        long secondReceived = start + POLL_INTERVAL_MICROS + ROUND_TRIP_MICROS;
        rig.scheduler.runUntil(secondReceived - 1);
        assertEquals(epsilonAfterPoll + 2_000, source.now().epsilonMicros());

        // The second poll lands and ε drops back.
        rig.scheduler.runUntil(secondReceived);
        assertEquals(epsilonAfterPoll, source.now().epsilonMicros());
        source.close();
    }

    @Test
    void epsilonRisesBetweenPollsAndDropsAtEachPoll() {
        TimeMasterSource source = rig.source(rig.clock(), threeHonestMasters(), CONFIG);
        source.start();
        rig.scheduler.runUntil(rig.now() + ROUND_TRIP_MICROS);
        long previous = source.now().epsilonMicros();
        int drops = 0;
        for (int step = 0; step < 3_000; step++) {
            rig.scheduler.runFor(Duration.ofMillis(10));
            long epsilon = source.now().epsilonMicros();
            if (epsilon < previous) {
                drops++;
                assertEquals(MASTER_EPSILON_MICROS + ROUND_TRIP_MICROS / 2 + 1, epsilon);
            } else {
                assertEquals(previous + 2, epsilon, "10 ms at 200 µs/s widens each side by 2 µs");
            }
            previous = epsilon;
        }
        assertEquals(3, drops, "the polls sent 10, 20 and 30 s after the first re-anchor");
    }

    @ParameterizedTest(name = "local oscillator at {0} ppm")
    // -199.96 ppm is the slowest clock within the bound as the source states it: it makes true
    // time run 200 ppm faster than the local clock.
    @ValueSource(doubles = {0, 200, -199.96, 120})
    void trueTimeStaysInsideWhileLocalDriftIsWithinTheBound(double driftPpm) {
        SimClock local = rig.clock().setDriftPpm(driftPpm);
        if (driftPpm == 120) {
            // Up and down: 120 ppm of linear drift plus a 60 s sinusoid whose slope reaches 80 ppm.
            local.setPeriodicDrift(SimRig.micros(763), Duration.ofSeconds(60));
            assertTrue(local.maxRateErrorPpm() <= 200, "the model itself stays within the bound");
        }
        local.step(Duration.ofSeconds(3)); // steps the wall clock only: the source never reads it
        // Precise masters (ε 10 µs, round trip 100 µs) leave a margin of tens of microseconds
        // after a poll, so between polls only the drift widening (2 ms per 10 s) keeps true time in.
        Duration epsilon = SimRig.micros(10);
        Duration roundTrip = SimRig.micros(100);
        TimeMasterSource source = rig.source(local, List.of(rig.honest("m1", epsilon, roundTrip),
                rig.honest("m2", epsilon, roundTrip), rig.honest("m3", epsilon, roundTrip)), CONFIG);
        source.start();
        rig.scheduler.runUntil(rig.now() + 100);
        for (int step = 0; step < 120_000; step++) {
            rig.scheduler.runFor(Duration.ofMillis(1));
            TTInterval now = source.now();
            assertTrue(now.contains(rig.now()), "true time " + rig.now() + " outside " + now + " at step " + step);
        }
    }

    @Test
    void trueTimeEscapesWhenLocalDriftExceedsTheBound() {
        // 2000 ppm is ten times the bound: the interval's centre runs ahead of true time by
        // 1.8 ms per second more than the interval widens, so within a few seconds of a poll
        // true time falls below earliest. This is what the drift bound is there to rule out.
        SimClock local = rig.clock().setDriftPpm(2_000);
        TimeMasterSource source = rig.source(local, threeHonestMasters(), CONFIG);
        source.start();
        rig.scheduler.runUntil(rig.now() + ROUND_TRIP_MICROS);
        long escapedAt = -1;
        for (int step = 0; step < 10_000 && escapedAt < 0; step++) {
            rig.scheduler.runFor(Duration.ofMillis(1));
            if (!source.now().contains(rig.now())) {
                escapedAt = step;
                assertTrue(source.now().earliestMicros() > rig.now(), "a fast clock overshoots true time");
            }
        }
        assertTrue(escapedAt > 1_000 && escapedAt < 3_000, "escaped after " + escapedAt + " ms");
    }
}
