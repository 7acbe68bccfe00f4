package io.meridian.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The backoff between retries of a definitely-aborted transaction or a request that was
 * certainly not applied. The n-th retry (n from 1) waits
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, reduced by a random fraction of
 * up to {@code jitter} of itself, and never less than a retry delay the server asked for
 * ({@code google.rpc.RetryInfo}). Immutable.
 *
 * @param initialBackoff the wait before the first retry, positive
 * @param maxBackoff     the longest wait, at least {@code initialBackoff}
 * @param multiplier     the growth of the wait per retry, at least 1
 * @param jitter         the fraction of each wait drawn at random, in {@code [0, 1]}
 */
public record RetrySettings(Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public RetrySettings {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("retry initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry maxBackoff (" + maxBackoff
                    + ") must be at least initialBackoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry multiplier must be a finite number >= 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("retry jitter must be in [0, 1]: " + jitter);
        }
    }

    /** 10 ms initial, 1 s maximum, doubling, 50 % jitter. */
    public static RetrySettings defaults() {
        return new RetrySettings(Duration.ofMillis(10), Duration.ofSeconds(1), 2.0, 0.5);
    }

    /** These settings with another initial backoff. */
    public RetrySettings withInitialBackoff(Duration initialBackoff) {
        return new RetrySettings(initialBackoff, maxBackoff, multiplier, jitter);
    }

    /** These settings with another maximum backoff. */
    public RetrySettings withMaxBackoff(Duration maxBackoff) {
        return new RetrySettings(initialBackoff, maxBackoff, multiplier, jitter);
    }

    /** These settings with another multiplier. */
    public RetrySettings withMultiplier(double multiplier) {
        return new RetrySettings(initialBackoff, maxBackoff, multiplier, jitter);
    }

    /** These settings with another jitter fraction. */
    public RetrySettings withJitter(double jitter) {
        return new RetrySettings(initialBackoff, maxBackoff, multiplier, jitter);
    }
}
