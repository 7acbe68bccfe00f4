package io.meridian.client;

import io.grpc.Status;

/**
 * {@code UNAUTHENTICATED}: the call carried no valid credentials (see
 * {@link MeridianClient.Builder#callCredentials}); nothing was applied.
 */
public final class UnauthenticatedException extends MeridianException {

    private static final long serialVersionUID = 1L;

    UnauthenticatedException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.UNAUTHENTICATED, details, message, cause);
    }
}
