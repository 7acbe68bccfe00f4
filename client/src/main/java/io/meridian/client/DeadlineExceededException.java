package io.meridian.client;

import io.grpc.Status;

/**
 * {@code DEADLINE_EXCEEDED} on a read: the call timeout passed before the read completed (reason
 * {@code DEADLINE} or {@code SAFE_TIME_WAIT_TIMEOUT}). Reads change nothing, so retrying is safe.
 * A commit that times out is reported as {@link AmbiguousCommitException} instead.
 */
public final class DeadlineExceededException extends MeridianException {

    private static final long serialVersionUID = 1L;

    DeadlineExceededException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.DEADLINE_EXCEEDED, details, message, cause);
    }
}
