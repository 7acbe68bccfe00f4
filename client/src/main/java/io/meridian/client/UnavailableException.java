package io.meridian.client;

import io.grpc.Status;

/**
 * {@code UNAVAILABLE}: no node could serve the request right now (no leader, a fenced clock, the
 * endpoints unreachable). Thrown for requests that certainly did not apply anything, after the
 * client's own retries and failover gave up; safe to retry later.
 */
public final class UnavailableException extends MeridianException {

    private static final long serialVersionUID = 1L;

    UnavailableException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.UNAVAILABLE, details, message, cause);
    }
}
