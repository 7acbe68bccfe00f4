package io.meridian.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the client retries and how long it waits in between. The waits follow
 * {@link RetrySettings}; a server's {@code RetryInfo} delay is added to the jittered backoff.
 * The rules say which failures certainly applied nothing and may be retried, per kind of
 * operation; an {@link AmbiguousCommitException} is never one of them. Thread-safe.
 */
final class RetryPolicy {

    private final RetrySettings settings;

    RetryPolicy(RetrySettings settings) {
        this.settings = settings;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry).
     *
     * @param serverDelay the delay the server asked for, if any
     */
    Duration backoff(int retry, Optional<Duration> serverDelay) {
        double growth = Math.pow(settings.multiplier(), Math.max(0, retry - 1));
        double baseNanos = Math.min(settings.maxBackoff().toNanos(), settings.initialBackoff().toNanos() * growth);
        double jittered = baseNanos * (1.0 - settings.jitter() * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) jittered).plus(serverDelay.orElse(Duration.ZERO));
    }

    /**
     * True if a single-use read (or a transaction's begin, or an admin call) may be sent again:
     * reads change nothing, so any unavailability, abort or wrong-range answer is worth
     * another try, possibly at another endpoint.
     */
    static boolean retryableRead(MeridianException failure) {
        return failure instanceof UnavailableException || failure instanceof TransactionAbortedException
                || wrongRange(failure);
    }

    /**
     * True if a single-use commit may be sent again: only when it certainly applied nothing
     * (an abort, or an unavailability the commit mapping proved definite).
     */
    static boolean retryableWrite(MeridianException failure) {
        return failure instanceof TransactionAbortedException || failure instanceof UnavailableException
                || wrongRange(failure);
    }

    /**
     * True if a read-write transaction attempt that failed this way may run again from the
     * start: it aborted, a node was unavailable before or at a commit that certainly did not
     * apply, a range had moved, or its node forgot it (nothing of it can commit any more).
     */
    static boolean retryableTransaction(MeridianException failure) {
        return retryableWrite(failure)
                || (failure instanceof NotFoundException && failure.reason().equals("TRANSACTION_NOT_FOUND"));
    }

    private static boolean wrongRange(MeridianException failure) {
        return failure instanceof FailedPreconditionException && failure.reason().equals("WRONG_RANGE");
    }
}
