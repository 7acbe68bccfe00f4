package io.meridian.storage;

/**
 * A key, value, batch or scan was larger than a {@link Limit} allows (an
 * {@code INVALID_ARGUMENT} for the client). Nothing was written. Retrying the same request
 * fails the same way.
 */
public final class LimitExceededException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final Limit limit;
    private final long actual;

    /** Creates the exception for {@code limit} broken by a size of {@code actual}. */
    public LimitExceededException(Limit limit, long actual) {
        super(limit.describe(actual));
        this.limit = limit;
        this.actual = actual;
    }

    /** The limit that was broken. */
    public Limit limit() {
        return limit;
    }

    /** The size that broke it, in {@link Limit#unit()}. */
    public long actual() {
        return actual;
    }
}
