package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import java.util.concurrent.TimeUnit;

/**
 * Exponential pauses between retries of one call: 10 ms doubling to 400 ms, never past the
 * call's deadline. Not thread-safe: one per call. Sleeps the calling (virtual) thread.
 */
public final class Backoff {

    private static final long FIRST_MILLIS = 10;
    private static final long MAX_MILLIS = 400;

    private long nextMillis = FIRST_MILLIS;

    /** Pauses before the next attempt, at most until {@code deadline}. */
    public void pause(Deadline deadline) {
        long remaining = deadline.timeRemaining(TimeUnit.MILLISECONDS);
        long millis = Math.max(0, Math.min(nextMillis, remaining));
        nextMillis = Math.min(MAX_MILLIS, nextMillis * 2);
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }
}
