package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.sim.SimClock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

// Shows commit wait on simulated time, stepping true time one microsecond at a time: the future
// is never done before after(t) holds (checked at every step and inside the completion itself),
// and it completes within a few microseconds of the first instant after(t) holds, whatever the
// local clock's drift (seeded; -Dtruetime.seed=N replays). Also: an already-passed timestamp
// completes at once, an unknown time is re-checked at the cap, cancelling leaves no task behind,
// and a failing TrueTime fails the future.
class CommitWaitTest {

    private final SimRig rig = new SimRig();

    /** Steps true time 1 µs at a time; returns the completion time minus the first instant after(t). */
    private long waitAndCheckEveryMicrosecond(TrueTime trueTime, Timestamp t) {
        CommitWait commitWait = new CommitWait(trueTime, rig.scheduler);
        boolean[] afterAtCompletion = new boolean[1];
        CompletableFuture<Timestamp> done = commitWait.waitUntilAfter(t);
        done.whenComplete((value, failure) -> afterAtCompletion[0] = trueTime.after(t));
        long firstAfter = -1;
        long completedAt = -1;
        for (int step = 0; step < 1_000_000 && completedAt < 0; step++) {
            rig.scheduler.runFor(SimRig.micros(1));
            if (done.isDone()) {
                completedAt = rig.now();
                assertTrue(afterAtCompletion[0], "completed while after(t) was false");
                assertSame(t, done.join());
            }
            if (firstAfter < 0 && trueTime.after(t)) {
                firstAfter = rig.now();
            }
        }
        assertTrue(completedAt >= firstAfter && firstAfter > 0, "completed at " + completedAt + ", first after " + firstAfter);
        return completedAt - firstAfter;
    }

    @Test
    void completesExactlyWhenAfterFirstHoldsOnAPerfectClock() {
        FixedEpsilonSource trueTime = new FixedEpsilonSource(rig.clock(), Duration.ofMillis(2));
        Timestamp t = trueTime.now().latest();

        assertEquals(0, waitAndCheckEveryMicrosecond(trueTime, t));
        assertEquals(SimRig.START_MICROS + 4_001, rig.now(), "2ε + 1 µs after the commit timestamp was chosen");
    }

    @Test
    void neverEarlyAndPromptUnderRandomDrift() {
        TestSeed seed = TestSeed.of("CommitWaitTest");
        Random random = seed.random();
        for (int round = 0; round < 40; round++) {
            SimClock local = rig.clock()
                    .setDriftPpm(random.nextInt(2_001) - 1_000)
                    .setPeriodicDrift(SimRig.micros(random.nextInt(20)), Duration.ofMillis(20 + random.nextInt(100)));
            FixedEpsilonSource trueTime = new FixedEpsilonSource(local, SimRig.micros(random.nextInt(3_000)));
            Timestamp t = Timestamp.ofMicros(trueTime.now().latestMicros() + random.nextInt(2_000));
            long startMicros = rig.now();

            long lateMicros = waitAndCheckEveryMicrosecond(trueTime, t);

            // A recheck is timed as if the clock ran at true rate, so a fast clock can be
            // noticed late by at most its rate error times the wait, plus rounding.
            long waitedMicros = rig.now() - startMicros;
            long allowedMicros = 2 + (long) Math.ceil(waitedMicros * local.maxRateErrorPpm() / 1e6);
            assertTrue(lateMicros <= allowedMicros, "seed " + seed.value() + " round " + round + ": late by "
                    + lateMicros + " µs, allowed " + allowedMicros);
        }
    }

    @Test
    void anAlreadyPassedTimestampCompletesAtOnce() {
        FixedEpsilonSource trueTime = new FixedEpsilonSource(rig.clock(), Duration.ofMillis(2));
        Timestamp past = Timestamp.ofMicros(trueTime.now().earliestMicros() - 1);

        CompletableFuture<Timestamp> done = new CommitWait(trueTime, rig.scheduler).waitUntilAfter(past);

        assertTrue(done.isDone());
        assertEquals(0, rig.scheduler.pendingTasks());
    }

    @Test
    void anUnknownTimeIsRecheckedAtTheCapUntilItIsKnown() {
        FixedEpsilonSource known = new FixedEpsilonSource(rig.clock(), Duration.ofMillis(1));
        long knownFrom = rig.now() + 35_000;
        TrueTime recovering = () -> rig.now() < knownFrom ? TTInterval.UNBOUNDED : known.now();
        Timestamp t = known.now().latest();

        CompletableFuture<Timestamp> done = new CommitWait(recovering, rig.scheduler).waitUntilAfter(t);
        rig.scheduler.runUntil(knownFrom - 1);
        assertFalse(done.isDone());
        rig.scheduler.runUntil(knownFrom + CommitWait.DEFAULT_MAX_RECHECK_DELAY.toNanos() / 1_000);

        assertTrue(done.isDone(), "noticed within one recheck of the time becoming known");
        assertTrue(recovering.after(t));
    }

    @Test
    void cancellingLeavesNoTaskBehind() {
        FixedEpsilonSource trueTime = new FixedEpsilonSource(rig.clock(), Duration.ofMillis(2));
        CompletableFuture<Timestamp> done = new CommitWait(trueTime, rig.scheduler).waitUntilAfter(trueTime.now().latest());
        assertEquals(1, rig.scheduler.pendingTasks());

        done.cancel(false);

        assertEquals(0, rig.scheduler.pendingTasks());
    }

    @Test
    void aFailingTrueTimeFailsTheFuture() {
        TrueTime broken = () -> {
            throw new IllegalStateException("clock gone");
        };
        CompletableFuture<Timestamp> done = new CommitWait(broken, rig.scheduler).waitUntilAfter(Timestamp.ofMicros(1));

        assertThrows(CompletionException.class, done::join);
    }
}
