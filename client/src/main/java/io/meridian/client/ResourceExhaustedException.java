package io.meridian.client;

import io.grpc.Status;

/**
 * {@code RESOURCE_EXHAUSTED}: the server or the transport refused the call for lack of resources
 * (a message over the size limit, a quota); nothing was applied.
 */
public final class ResourceExhaustedException extends MeridianException {

    private static final long serialVersionUID = 1L;

    ResourceExhaustedException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.RESOURCE_EXHAUSTED, details, message, cause);
    }
}
