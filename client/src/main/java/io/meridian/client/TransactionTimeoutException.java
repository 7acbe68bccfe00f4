package io.meridian.client;

import io.grpc.Status;

/**
 * A read-write transaction (or a retried single-use request) kept aborting, or its nodes stayed
 * unavailable, until the client's transaction timeout passed. Nothing of it was applied: every
 * attempt ended in a definite abort. {@link #lastFailure()} (also the cause) is the last of
 * those aborts.
 */
public final class TransactionTimeoutException extends MeridianException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    TransactionTimeoutException(int attempts, MeridianException lastFailure, String message) {
        super(Status.Code.DEADLINE_EXCEEDED, ErrorDetails.NONE, message, lastFailure);
        this.attempts = attempts;
    }

    /** How many attempts ran. */
    public int attempts() {
        return attempts;
    }

    /** The last attempt's failure: a {@link TransactionAbortedException} or {@link UnavailableException}, usually. */
    public MeridianException lastFailure() {
        return (MeridianException) getCause();
    }
}
