package io.meridian.truetime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Shows the deterministic scheduler: tasks run in (due time, submission) order with true time
// set to each task's due time; runUntil runs tasks scheduled inside the window and stops at its
// end; cancelled tasks never run; nothing runs unless the simulation asks.
class SimSchedulerTest {

    private final SimScheduler scheduler = new SimScheduler(1_000);
    private final List<String> ran = new ArrayList<>();

    private Runnable record(String name) {
        return () -> ran.add(name + "@" + scheduler.nowMicros());
    }

    @Test
    void runsInDueTimeThenSubmissionOrder() {
        scheduler.schedule(record("c"), 30);
        scheduler.schedule(record("a1"), 10);
        scheduler.schedule(record("b"), 20);
        scheduler.schedule(record("a2"), 10);
        assertTrue(ran.isEmpty(), "nothing runs by itself");

        while (scheduler.runNext()) {
            // drain
        }

        assertEquals(List.of("a1@1010", "a2@1010", "b@1020", "c@1030"), ran);
        assertFalse(scheduler.runNext());
    }

    @Test
    void runUntilRunsTasksScheduledInsideTheWindowAndStopsAtItsEnd() {
        scheduler.schedule(() -> {
            ran.add("first@" + scheduler.nowMicros());
            scheduler.schedule(record("chained"), 5);
            scheduler.schedule(record("outside"), 500);
        }, 10);

        scheduler.runUntil(1_100);

        assertEquals(List.of("first@1010", "chained@1015"), ran);
        assertEquals(1_100, scheduler.nowMicros());
        assertEquals(1, scheduler.pendingTasks());
        scheduler.runFor(Duration.ofMillis(1));
        assertEquals("outside@1510", ran.get(2));
    }

    @Test
    void cancelledTasksNeverRun() {
        Scheduler.Cancellable cancelled = scheduler.schedule(record("cancelled"), 10);
        scheduler.schedule(record("kept"), 20);

        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "second cancel is a no-op");
        scheduler.runUntil(2_000);

        assertEquals(List.of("kept@1020"), ran);
    }

    @Test
    void refusesToGoBack() {
        assertThrows(IllegalArgumentException.class, () -> scheduler.schedule(record("x"), -1));
        assertThrows(IllegalArgumentException.class, () -> scheduler.runUntil(999));
    }
}
