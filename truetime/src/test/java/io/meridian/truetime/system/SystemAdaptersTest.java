package io.meridian.truetime.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.CommitWait;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.StepCheckedTimeSource;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Shows the real-world adapters on the real clock and real threads, waiting only on futures and
// latches: SystemTimeSource brackets the system clock with its ε; StepCheckedTimeSource over the
// system clock catches a step of the wall; ExecutorScheduler honours delays
// and cancellation and refuses work after close; and commit wait over them completes only when
// after(t) is true on the completing thread.
class SystemAdaptersTest {

    private final ExecutorScheduler scheduler = new ExecutorScheduler("truetime-test", 2);

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    void systemTimeSourceBracketsTheSystemClock() {
        SystemTimeSource source = new SystemTimeSource(Duration.ofMillis(2));
        long before = SystemClock.wallMicros();
        TTInterval now = source.now();
        long after = SystemClock.wallMicros();

        assertEquals(2_000, now.epsilonMicros());
        assertTrue(now.earliestMicros() >= before - 2_000 && now.latestMicros() <= after + 2_000, now.toString());
        assertEquals(Duration.ofMillis(2), source.epsilon());
    }

    @Test
    void aStepOfTheRealWallClockWidensEpsilonByTheStepAndItsUndoNarrowsItBack() {
        AtomicLong offset = new AtomicLong();
        StepCheckedTimeSource source = new StepCheckedTimeSource(SystemClock.withWallOffset(offset::get),
                Duration.ofMillis(2));
        TTInterval steady = source.now();
        offset.set(5_000_000);
        long before = SystemClock.wallMicros();
        TTInterval ahead = source.now();
        long after = SystemClock.wallMicros();
        offset.set(0);
        TTInterval back = source.now();

        // ε is widened by the bracket of monotonic readings around the wall reading: a few µs,
        // more only if all three reads were interrupted.
        assertTrue(steady.epsilonMicros() >= 2_000 && steady.epsilonMicros() < 3_000, steady.toString());
        // The step is measured within the brackets of two readings: a few µs.
        assertTrue(ahead.epsilonMicros() >= 5_001_900, ahead.toString());
        // The unstepped clock read just before and just after: some instant between them is inside.
        assertTrue(ahead.earliestMicros() <= after && ahead.latestMicros() >= before,
                ahead + " holds the unstepped clock between " + before + " and " + after);
        assertTrue(back.epsilonMicros() < 3_000, back.toString());
    }

    @Test
    void executorSchedulerWaitsAtLeastTheDelay() throws Exception {
        long scheduledAt = SystemClock.INSTANCE.monotonicMicros();
        CompletableFuture<Long> ranAt = new CompletableFuture<>();
        scheduler.schedule(() -> ranAt.complete(SystemClock.INSTANCE.monotonicMicros()), Duration.ofMillis(20));

        assertTrue(ranAt.get(5, TimeUnit.SECONDS) - scheduledAt >= 20_000);
    }

    @Test
    void executorSchedulerCancelsAndRefusesWorkAfterClose() throws Exception {
        ExecutorScheduler single = new ExecutorScheduler("truetime-single");
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);
        // Far enough ahead that a busy machine cannot run it before the cancel below.
        Scheduler.Cancellable cancelled = single.schedule(() -> cancelledRan.set(true), 500_000);
        single.schedule(later::countDown, 520_000);

        assertTrue(cancelled.cancel());
        assertTrue(later.await(5, TimeUnit.SECONDS), "the later task ran");
        assertFalse(cancelledRan.get(), "one thread runs tasks in due order, so the cancelled one had its chance");

        single.close();
        assertThrows(RejectedExecutionException.class, () -> single.schedule(() -> { }, 0));
    }

    @Test
    void commitWaitOnTheRealClockCompletesOnlyAfterTheTimestampHasPassed() throws Exception {
        SystemTimeSource source = new SystemTimeSource(Duration.ofMillis(2));
        CommitWait commitWait = new CommitWait(source, scheduler);
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Timestamp t = Timestamp.ofMicros(source.now().latestMicros() + 100L * i);
            // Evaluated on the completing thread, at completion: the commit is acknowledged now.
            checks.add(commitWait.waitUntilAfter(t).thenApply(source::after));
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertTrue(check.get(5, TimeUnit.SECONDS), "completed while after(t) was false");
        }
    }
}
