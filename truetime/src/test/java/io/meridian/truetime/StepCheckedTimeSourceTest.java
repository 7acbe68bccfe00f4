package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.StepCheckedTimeSource.StepWitness;
import io.meridian.truetime.sim.SimClock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TrueTime around a wall clock that steps: the interval holds true time through steps of any size
 * either way, ε is back to normal once a step is undone or once a majority of peers side with it,
 * a step past the fence fences, and a clock already off when the source starts is not something
 * this source can see.
 */
class StepCheckedTimeSourceTest {

    private static final Duration EPSILON = Duration.ofMillis(1);

    private final SimRig rig = new SimRig();

    @Test
    void aSteadyClockGetsExactlyItsEpsilon() {
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        rig.scheduler.runFor(Duration.ofSeconds(5));

        assertEquals(TTInterval.around(rig.now(), 1_000), source.now());
        assertEquals(0, source.stepMicros());
    }

    @Test
    void aStepEitherWayWidensEpsilonByTheStepSoTrueTimeStaysInside() {
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);

        clock.step(Duration.ofMillis(60));
        rig.scheduler.runFor(Duration.ofMillis(10));
        TTInterval ahead = source.now();
        assertTrue(ahead.contains(rig.now()), ahead + " holds " + rig.now());
        assertEquals(61_000, ahead.epsilonMicros());
        assertEquals(60_000, source.stepMicros());

        clock.step(Duration.ofMillis(-100));
        TTInterval behind = source.now();
        assertTrue(behind.contains(rig.now()), behind + " holds " + rig.now());
        assertEquals(-40_000, source.stepMicros());
    }

    @Test
    void undoingTheStepBringsEpsilonBack() {
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        clock.step(Duration.ofMillis(-3));
        assertEquals(4_000, source.now().epsilonMicros());

        clock.step(Duration.ofMillis(3));
        assertEquals(TTInterval.around(rig.now(), 1_000), source.now());
    }

    @Test
    void aStepBeyondTheFenceFencesAndTheUndoServesAgain() {
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        EpsilonFence fence = new EpsilonFence(source, Duration.ofMillis(10));
        assertTrue(fence.status() instanceof FenceStatus.Serving);

        clock.step(Duration.ofMillis(9).plusNanos(1_000));
        assertTrue(fence.status() instanceof FenceStatus.Fenced, "ε " + source.now().epsilonMicros());

        clock.step(Duration.ofMillis(-9).minusNanos(1_000));
        assertTrue(fence.status() instanceof FenceStatus.Serving);
    }

    @Test
    void randomStepsAndUndoesNeverLeaveTrueTimeOutside() {
        TestSeed seed = TestSeed.of("randomStepsAndUndoesNeverLeaveTrueTimeOutside");
        Random random = seed.random();
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        long stepped = 0;
        for (int i = 0; i < 10_000; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    long jump = random.nextLong(-200_000, 200_001);
                    clock.step(Duration.ofNanos(jump * 1_000));
                    stepped += jump;
                }
                case 1 -> {
                    // Undo every step so far, as a nemesis healing does.
                    clock.step(Duration.ofNanos(-stepped * 1_000));
                    stepped = 0;
                }
                default -> rig.scheduler.runFor(Duration.ofNanos(random.nextLong(1, 50_000) * 1_000));
            }
            TTInterval now = source.now();
            assertTrue(now.contains(rig.now()), "seed " + seed.value() + ": " + now + " holds " + rig.now());
            assertEquals(1_000 + Math.abs(stepped), now.epsilonMicros(), "seed " + seed.value());
        }
    }

    @Test
    void aClockAlreadyOffAtStartIsNotAStepToThisSource() {
        SimClock clock = rig.clock().setSkew(Duration.ofMillis(5));
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);

        // This is what the peer check is for (PeerCheckedTimeSource).
        assertEquals(0, source.stepMicros());
        assertFalse(source.now().contains(rig.now()));
    }

    @Test
    void peersThatSideWithACorrectingStepMakeItTheNewBaseline() {
        SimClock clock = rig.clock().setSkew(Duration.ofMillis(60));
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        clock.step(Duration.ofMillis(-60));
        long step = source.stepMicros();
        assertEquals(-60_000, step);

        List<StepWitness> witnesses = List.of(honest("a", source), honest("b", source), honest("c", source));
        assertFalse(source.judgeStep(step, witnesses.subList(0, 2), 5), "two of five peers are not a majority");
        assertTrue(source.judgeStep(step, witnesses, 5));
        assertEquals(TTInterval.around(rig.now(), 1_000), source.now());
        assertEquals(0, source.stepMicros());
    }

    @Test
    void peersNeverAcceptAFaultyStep() {
        SimClock clock = rig.clock();
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        clock.step(Duration.ofMillis(60));

        assertFalse(source.judgeStep(60_000, List.of(honest("a", source), honest("b", source)), 2));
        assertEquals(61_000, source.now().epsilonMicros());
    }

    @Test
    void aStepTooSmallForThePeersToTellApartStaysWidenedUntilUndone() {
        SimClock clock = rig.clock().setSkew(Duration.ofNanos(700_000));
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        clock.step(Duration.ofNanos(-700_000));

        assertFalse(source.judgeStep(-700, List.of(honest("a", source), honest("b", source)), 2));
        assertEquals(1_700, source.now().epsilonMicros());
    }

    @Test
    void aJudgementOfAStepThatHasSinceChangedCountsForNothing() {
        SimClock clock = rig.clock().setSkew(Duration.ofMillis(60));
        StepCheckedTimeSource source = new StepCheckedTimeSource(clock, EPSILON);
        clock.step(Duration.ofMillis(-60));
        List<StepWitness> witnesses = List.of(honest("a", source), honest("b", source));
        clock.step(Duration.ofMillis(30));

        assertFalse(source.judgeStep(-60_000, witnesses, 2));
        assertEquals(-30_000, source.stepMicros());
    }

    /** An honest peer's reading (ε 1 ms, a 200 µs round trip) set against the source's hypotheses now. */
    private StepWitness honest(String peer, StepCheckedTimeSource source) {
        TTInterval reading = new TTInterval(rig.now() - 1_000, rig.now() + 1_200);
        return new StepWitness(peer, reading, source.wallNow(), source.baselineNow());
    }

    @Test
    void aNegativeEpsilonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepCheckedTimeSource(rig.clock(), Duration.ofMillis(-1)));
    }
}
