package io.meridian.server.status;

import io.meridian.api.v1.LimitViolation;
import java.util.Objects;
import java.util.Optional;

/**
 * A request failed at the gateway for a reason the node decided itself (bad input, unknown
 * transaction, no route, a capability not served yet). {@link StatusMapper} maps the
 * {@link #reason()} to a gRPC code.
 */
public final class RequestFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorReason reason;
    private final transient Optional<LimitViolation> violation;

    /** Creates the exception for {@code reason} with an operator- and client-facing message. */
    public RequestFailedException(ErrorReason reason, String message) {
        this(reason, message, Optional.empty(), null);
    }

    /** Creates the exception for {@code reason} with the failure behind it. */
    public RequestFailedException(ErrorReason reason, String message, Throwable cause) {
        this(reason, message, Optional.empty(), cause);
    }

    private RequestFailedException(ErrorReason reason, String message, Optional<LimitViolation> violation,
            Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.violation = violation;
    }

    /** A malformed request: {@code INVALID_ARGUMENT}. */
    public static RequestFailedException invalid(String message) {
        return new RequestFailedException(ErrorReason.INVALID_REQUEST, message);
    }

    /** A broken limit: {@code INVALID_ARGUMENT} with a {@link LimitViolation} detail. */
    public static RequestFailedException limit(String message, LimitViolation violation) {
        return new RequestFailedException(ErrorReason.LIMIT_EXCEEDED, message, Optional.of(violation), null);
    }

    /** Why the request failed. */
    public ErrorReason reason() {
        return reason;
    }

    /** The limit the request broke, for {@link ErrorReason#LIMIT_EXCEEDED}. */
    public Optional<LimitViolation> violation() {
        return violation;
    }
}
