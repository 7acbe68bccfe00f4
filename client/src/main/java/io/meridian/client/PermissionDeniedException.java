package io.meridian.client;

import io.grpc.Status;

/**
 * {@code PERMISSION_DENIED}: the caller's credentials do not allow the request; nothing was applied.
 */
public final class PermissionDeniedException extends MeridianException {

    private static final long serialVersionUID = 1L;

    PermissionDeniedException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.PERMISSION_DENIED, details, message, cause);
    }
}
