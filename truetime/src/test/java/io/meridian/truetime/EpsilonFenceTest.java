package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Shows self-fencing: ε above max_epsilon ⇒ Fenced (status, empty nowIfServing, unhealthy flag,
// one listener call), ε at or below it again ⇒ Serving; the watch notices transitions on its
// own schedule when nobody asks for time, and stops when cancelled.
class EpsilonFenceTest {

    private final SimRig rig = new SimRig();
    private long epsilonMicros = 500;
    private final TrueTime adjustable = () -> TTInterval.around(rig.now(), epsilonMicros);
    private final EpsilonFence fence = new EpsilonFence(adjustable, Duration.ofMillis(10));
    private final List<FenceStatus> transitions = new ArrayList<>();

    EpsilonFenceTest() {
        fence.addListener(transitions::add);
    }

    @Test
    void fencesAboveTheBoundAndRecoversBelowIt() {
        assertFalse(fence.isServing(), "starts fenced until judged");
        assertEquals(TTInterval.around(rig.now(), 500), fence.nowIfServing().orElseThrow());
        assertTrue(fence.isServing());

        epsilonMicros = 10_000;
        assertInstanceOf(FenceStatus.Serving.class, fence.status(), "exactly at the bound still serves");

        epsilonMicros = 10_001;
        FenceStatus.Fenced fenced = assertInstanceOf(FenceStatus.Fenced.class, fence.status());
        assertEquals(10_001, fenced.epsilonMicros());
        assertEquals(10_000, fenced.maxEpsilonMicros());
        assertTrue(fence.nowIfServing().isEmpty());
        assertFalse(fence.isServing());

        epsilonMicros = 9_000;
        assertTrue(fence.nowIfServing().isPresent());
        assertTrue(fence.isServing());

        assertEquals(3, transitions.size(), "serving, fenced, serving: " + transitions);
        assertInstanceOf(FenceStatus.Serving.class, transitions.get(0));
        assertInstanceOf(FenceStatus.Fenced.class, transitions.get(1));
        assertInstanceOf(FenceStatus.Serving.class, transitions.get(2));
    }

    @Test
    void theWatchNoticesTransitionsWithoutCallers() {
        Scheduler.Cancellable watch = fence.watch(rig.scheduler, Duration.ofMillis(50));
        assertTrue(fence.isServing(), "judged at once when the watch starts");

        epsilonMicros = 20_000;
        rig.scheduler.runFor(Duration.ofMillis(49));
        assertTrue(fence.isServing(), "not yet checked");
        rig.scheduler.runFor(Duration.ofMillis(1));
        assertFalse(fence.isServing());

        assertTrue(watch.cancel());
        epsilonMicros = 1;
        rig.scheduler.runFor(Duration.ofSeconds(1));
        assertFalse(fence.isServing(), "a cancelled watch checks no more");
        assertEquals(0, rig.scheduler.pendingTasks());
        assertEquals(2, transitions.size());
    }
}
