package io.meridian.client;

import java.util.Objects;

/**
 * What a committed read-write transaction returned.
 *
 * @param value           what the transaction function returned on the attempt that committed
 *                        (may be null if the function returned null)
 * @param commitTimestamp the commit timestamp
 * @param attempts        how many times the function ran: 1 plus the retries after aborts
 * @param <T>             the function's result type
 */
public record TransactionResult<T>(T value, Timestamp commitTimestamp, int attempts) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if attempts is below 1
     */
    public TransactionResult {
        Objects.requireNonNull(commitTimestamp, "commitTimestamp");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts is at least 1: " + attempts);
        }
    }
}
