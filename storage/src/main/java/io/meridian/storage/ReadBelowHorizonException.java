package io.meridian.storage;

import io.meridian.truetime.Timestamp;

/**
 * A read asked for a timestamp below the GC horizon, where versions may already be gone (a
 * {@code FAILED_PRECONDITION} for the client). Retrying at the same timestamp fails forever;
 * read at a timestamp at or above {@link #horizon()}.
 */
public final class ReadBelowHorizonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Timestamp readTs;
    private final transient Timestamp horizon;

    /** Creates the exception for a read at {@code readTs} below {@code horizon}. */
    public ReadBelowHorizonException(Timestamp readTs, Timestamp horizon) {
        super("read timestamp " + readTs + " is below the GC horizon " + horizon
                + ": versions older than the horizon may have been collected");
        this.readTs = readTs;
        this.horizon = horizon;
    }

    /** The timestamp the read asked for. */
    public Timestamp readTs() {
        return readTs;
    }

    /** The GC horizon when the read ran: the oldest timestamp still readable. */
    public Timestamp horizon() {
        return horizon;
    }
}
