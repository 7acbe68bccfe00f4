package io.meridian.storage;

/**
 * The store ran out of a configured resource: the file's map size, the reader slots, or the
 * pages one write transaction may dirty (a {@code RESOURCE_EXHAUSTED}). The failed write wrote
 * nothing. An operator must raise the limit named in the message; retrying as is fails again.
 */
public final class StoreResourceExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the resource and the setting to raise. */
    public StoreResourceExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
