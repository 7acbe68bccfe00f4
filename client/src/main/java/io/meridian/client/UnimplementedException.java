package io.meridian.client;

import io.grpc.Status;

/**
 * {@code UNIMPLEMENTED}: the server does not serve this capability yet (reason
 * {@code NOT_SERVED_YET}), or is an older release.
 */
public final class UnimplementedException extends MeridianException {

    private static final long serialVersionUID = 1L;

    UnimplementedException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.UNIMPLEMENTED, details, message, cause);
    }
}
