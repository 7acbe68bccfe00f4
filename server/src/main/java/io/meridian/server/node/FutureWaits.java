package io.meridian.server.node;

import io.grpc.Deadline;
import io.meridian.groups.ReplicationException;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking waits on the groups layer's futures, bounded by a call's deadline, for code that runs
 * on virtual threads. A wait that runs out is a deadline for a read and an ambiguous outcome for
 * a commit (the command may still apply); the future is never cancelled, since cancelling cannot
 * take a proposal back.
 */
final class FutureWaits {

    private FutureWaits() {
    }

    /**
     * The future's value, or its failure unwrapped.
     *
     * @throws RequestFailedException ({@code DEADLINE}) when a read outlives the deadline
     * @throws ReplicationException when a commit outlives the deadline (ambiguous)
     */
    static <T> T await(CompletableFuture<T> future, Deadline deadline, CallKind kind) {
        try {
            return future.get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            if (kind == CallKind.COMMIT) {
                throw new ReplicationException("no outcome before the deadline", e);
            }
            throw new RequestFailedException(ErrorReason.DEADLINE, "the deadline passed before the replica answered");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (kind == CallKind.COMMIT) {
                throw new ReplicationException("interrupted while waiting for the outcome", e);
            }
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "interrupted while waiting for the replica", e);
        }
    }

    /** The time left until {@code deadline}, never negative. */
    static Duration remaining(Deadline deadline) {
        return Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
    }
}
