package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.TimeMasterSource.PollOutcome;
import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimTimeMasterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

// Shows TimeMasterSource with misbehaving masters on simulated time: a liar (even two colluding
// among five) is outvoted and named while the interval keeps containing true time; a silent
// minority is named and ignored; with no majority the old anchor is kept, ε keeps growing and
// an EpsilonFence trips, and it recovers when the masters do.
class TimeMasterSourceLiarTest {

    private static final Duration MASTER_EPSILON = Duration.ofMillis(1);
    private static final Duration ROUND_TRIP = Duration.ofMillis(4);
    private static final TimeMasterSource.Config CONFIG =
            new TimeMasterSource.Config(Duration.ofSeconds(5), Duration.ofMillis(500), 200);

    private final SimRig rig = new SimRig();

    private SimTimeMasterClient honest(String id) {
        return rig.honest(id, MASTER_EPSILON, ROUND_TRIP);
    }

    private SimTimeMasterClient liar(String id, Duration skew) {
        return rig.master(id, skew, MASTER_EPSILON, ROUND_TRIP);
    }

    private PollOutcome pollAndRun(TimeMasterSource source) {
        CompletableFuture<PollOutcome> outcome = source.pollOnce();
        while (!outcome.isDone()) {
            assertTrue(rig.scheduler.runNext(), "the poll must finish by its timeout");
        }
        return outcome.join();
    }

    private void assertContainsTrueTimeFor(TimeMasterSource source, Duration duration) {
        long end = rig.now() + duration.toNanos() / 1_000;
        while (rig.now() < end) {
            rig.scheduler.runFor(Duration.ofMillis(7));
            assertTrue(source.now().contains(rig.now()), "true time " + rig.now() + " outside " + source.now());
        }
    }

    @Test
    void oneLiarAmongThreeIsNamedAndOutvoted() {
        TimeMasterSource source = rig.source(rig.clock(),
                List.of(honest("m1"), liar("liar", Duration.ofSeconds(3)), honest("m3")), CONFIG);

        PollOutcome.Synced synced = assertInstanceOf(PollOutcome.Synced.class, pollAndRun(source));

        assertEquals(List.of("liar"), synced.agreement().rejected());
        assertEquals(List.of(), synced.silent());
        assertTrue(source.now().contains(rig.now()));
        assertTrue(source.now().epsilonMicros() < 5_000, "the liar did not widen the interval: " + source.now());
        source.start();
        assertContainsTrueTimeFor(source, Duration.ofSeconds(30));
    }

    @Test
    void twoColludingLiarsAmongFiveAreNamedAndOutvoted() {
        TimeMasterSource source = rig.source(rig.clock(), List.of(honest("m1"), liar("early", Duration.ofSeconds(-2)),
                honest("m2"), liar("late", Duration.ofSeconds(2)), honest("m3")), CONFIG);
        PollOutcome.Synced first = assertInstanceOf(PollOutcome.Synced.class, pollAndRun(source));
        assertEquals(List.of("early", "late"), first.agreement().rejected());

        // Now the two liars agree with each other: two of five is still not a majority.
        TimeMasterSource colluding = rig.source(rig.clock(), List.of(honest("m1"), liar("l1", Duration.ofSeconds(2)),
                honest("m2"), liar("l2", Duration.ofSeconds(2)), honest("m3")), CONFIG);
        PollOutcome.Synced second = assertInstanceOf(PollOutcome.Synced.class, pollAndRun(colluding));
        assertEquals(List.of("l1", "l2"), second.agreement().rejected());
        assertTrue(colluding.now().contains(rig.now()));
    }

    @Test
    void aSilentMinorityIsNamedAndThePollClosesAtItsTimeout() {
        SimTimeMasterClient quiet = honest("quiet").setSilent(true);
        TimeMasterSource source = rig.source(rig.clock(), List.of(honest("m1"), quiet, honest("m3")), CONFIG);
        long start = rig.now();

        PollOutcome.Synced synced = assertInstanceOf(PollOutcome.Synced.class, pollAndRun(source));

        assertEquals(List.of("quiet"), synced.silent());
        assertEquals(start + 500_000, rig.now(), "decided at the 500 ms timeout");
        assertTrue(source.now().contains(rig.now()));
    }

    @Test
    void beforeAnyMajorityTheTimeIsUnknown() {
        TimeMasterSource source = rig.source(rig.clock(),
                List.of(honest("m1"), liar("l1", Duration.ofSeconds(4)), liar("l2", Duration.ofSeconds(-4))), CONFIG);

        PollOutcome.Unsynced unsynced = assertInstanceOf(PollOutcome.Unsynced.class, pollAndRun(source));

        assertEquals(new Marzullo.NoMajority(1, 2, 3), unsynced.noMajority());
        assertEquals(TTInterval.UNBOUNDED, source.now());
        assertFalse(new EpsilonFence(source, EpsilonFence.DEFAULT_MAX_EPSILON).nowIfServing().isPresent());
    }

    @Test
    void withoutAMajorityEpsilonKeepsGrowingUntilTheFenceTripsThenRecovers() {
        SimTimeMasterClient m1 = honest("m1");
        SimTimeMasterClient m2 = honest("m2");
        SimClock m3Clock = rig.clock();
        SimTimeMasterClient m3 = new SimTimeMasterClient("m3", rig.scheduler,
                new FixedEpsilonSource(m3Clock, MASTER_EPSILON), ROUND_TRIP);
        TimeMasterSource source = rig.source(rig.clock(), List.of(m1, m2, m3), CONFIG);
        EpsilonFence fence = new EpsilonFence(source, EpsilonFence.DEFAULT_MAX_EPSILON);
        List<FenceStatus> transitions = new ArrayList<>();
        fence.addListener(transitions::add);
        source.start();
        fence.watch(rig.scheduler, Duration.ofMillis(100));
        assertFalse(fence.isServing(), "fenced before the first poll: ε is unknown");

        rig.scheduler.runUntil(rig.now() + ROUND_TRIP.toNanos() / 1_000);
        long anchorMicros = rig.now();
        long epsilonAfterPollMicros = source.now().epsilonMicros();
        rig.scheduler.runFor(Duration.ofSeconds(1));
        assertTrue(fence.isServing());

        // m2 falls silent and m3's clock jumps 4 s: m1 alone is no majority of three.
        m2.setSilent(true);
        m3Clock.setSkew(Duration.ofSeconds(4));
        rig.scheduler.runFor(Duration.ofSeconds(5));
        PollOutcome.Unsynced unsynced = assertInstanceOf(PollOutcome.Unsynced.class, source.lastPoll().orElseThrow());
        assertEquals(new Marzullo.NoMajority(1, 2, 3), unsynced.noMajority());
        assertEquals(List.of("m2"), unsynced.silent());

        // ε grows 200 µs/s from the last good anchor and crosses 10 ms after
        // (10 ms - ε₀) / 200 µs/s; the watch notices within 100 ms.
        long fenceDueMicros = anchorMicros + (10_000 - epsilonAfterPollMicros) * 1_000_000 / 200;
        rig.scheduler.runUntil(fenceDueMicros - 200_000);
        assertTrue(fence.isServing(), "still serving just before ε reaches the bound: " + source.now());
        rig.scheduler.runUntil(fenceDueMicros + 200_000);
        assertFalse(fence.isServing(), "fenced once ε passed the bound: " + source.now());
        FenceStatus.Fenced fenced = assertInstanceOf(FenceStatus.Fenced.class, transitions.get(transitions.size() - 1));
        assertTrue(fenced.epsilonMicros() > 10_000);
        assertEquals(10_000, fenced.maxEpsilonMicros());
        assertTrue(source.now().contains(rig.now()), "the widened interval still holds true time");

        // The masters recover; the next poll re-anchors and the fence lifts.
        m2.setSilent(false);
        m3Clock.setSkew(Duration.ZERO);
        rig.scheduler.runFor(Duration.ofSeconds(6));
        assertTrue(fence.isServing());
        PollOutcome.Synced recovered = assertInstanceOf(PollOutcome.Synced.class, source.lastPoll().orElseThrow());
        assertEquals(List.of(), recovered.agreement().rejected());
        // Re-anchored at the poll 5 s after the fence tripped; about 1.2 s of growth since.
        assertTrue(source.now().epsilonMicros() < epsilonAfterPollMicros + 300, source.now().toString());
        assertEquals(3, transitions.size(), "serving, fenced, serving again: " + transitions);
        assertInstanceOf(FenceStatus.Serving.class, transitions.get(2));
    }
}
