package io.meridian.client;

import io.grpc.Status;

/**
 * {@code FAILED_PRECONDITION}: the request cannot run in the cluster's current state, such as a read
 * below the retained history (reason {@code READ_BELOW_HORIZON}) or a range that kept moving
 * ({@code WRONG_RANGE}) after the client re-routed; nothing was applied.
 */
public final class FailedPreconditionException extends MeridianException {

    private static final long serialVersionUID = 1L;

    FailedPreconditionException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.FAILED_PRECONDITION, details, message, cause);
    }
}
