package io.meridian.client;

import io.grpc.Status;
import java.util.Optional;

/**
 * {@code INVALID_ARGUMENT}: the request was malformed or broke a documented limit (a key over 480
 * bytes, a value over 1 MiB, too many mutations, …); nothing was applied. Retrying the same
 * request fails the same way. {@link #limitViolation()} names the broken limit when there is one.
 */
public final class InvalidArgumentException extends MeridianException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<LimitViolation> limitViolation;

    InvalidArgumentException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.INVALID_ARGUMENT, details, message, cause);
        this.limitViolation = details.limitViolation()
                .map(v -> new LimitViolation(v.getLimit(), v.getMaximum(), v.getActual()));
    }

    /** The documented limit the request broke, if that is why it was refused. */
    public Optional<LimitViolation> limitViolation() {
        return limitViolation;
    }

    /**
     * A broken limit.
     *
     * @param limit   the limit's name, such as {@code KEY_BYTES}
     * @param maximum the largest allowed value
     * @param actual  what the request had
     */
    public record LimitViolation(String limit, long maximum, long actual) {
    }
}
