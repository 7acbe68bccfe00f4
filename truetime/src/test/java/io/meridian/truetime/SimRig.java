package io.meridian.truetime;

import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimScheduler;
import io.meridian.truetime.sim.SimTimeMasterClient;
import java.time.Duration;
import java.util.List;

/** A simulated world for TrueTime tests: one scheduler (true time), clocks and masters on it. */
final class SimRig {

    /** 2023-11-14T22:13:20Z: a realistic epoch, far from zero. */
    static final long START_MICROS = 1_700_000_000_000_000L;

    final SimScheduler scheduler = new SimScheduler(START_MICROS);

    /** A new clock over this rig's true time, perfect until its error model is set. */
    SimClock clock() {
        return new SimClock(scheduler::nowMicros);
    }

    /** A master whose clock is off by {@code skew}, claiming ε {@code epsilon}. */
    SimTimeMasterClient master(String id, Duration skew, Duration epsilon, Duration roundTrip) {
        return new SimTimeMasterClient(id, scheduler, new FixedEpsilonSource(clock().setSkew(skew), epsilon), roundTrip);
    }

    /** An honest master: accurate clock, ε {@code epsilon}. */
    SimTimeMasterClient honest(String id, Duration epsilon, Duration roundTrip) {
        return master(id, Duration.ZERO, epsilon, roundTrip);
    }

    /** A source over {@code local} polling {@code masters}. */
    TimeMasterSource source(SimClock local, List<? extends TimeMasterClient> masters, TimeMasterSource.Config config) {
        return new TimeMasterSource(local, scheduler, List.copyOf(masters), config);
    }

    long now() {
        return scheduler.nowMicros();
    }

    static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1_000);
    }
}
