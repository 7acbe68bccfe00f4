package io.meridian.storage;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

/**
 * A batch would have written a key at a timestamp at or below that key's newest stored version
 * (a {@code FAILED_PRECONDITION}: group leaders assign strictly increasing timestamps, so this
 * is a bug above the store). Nothing of the batch was written.
 */
public final class NonIncreasingTimestampException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ByteString key;
    private final transient Timestamp writeTs;
    private final transient Timestamp newestTs;

    /** Creates the exception for writing {@code key} at {@code writeTs} over {@code newestTs}. */
    public NonIncreasingTimestampException(ByteString key, Timestamp writeTs, Timestamp newestTs) {
        super("cannot write key " + Keys.describe(key) + " at " + writeTs
                + ": its newest version is at " + newestTs + " and timestamps per key must increase");
        this.key = key;
        this.writeTs = writeTs;
        this.newestTs = newestTs;
    }

    /** The key that was refused. */
    public ByteString key() {
        return key;
    }

    /** The batch's commit timestamp. */
    public Timestamp writeTs() {
        return writeTs;
    }

    /** The timestamp of the key's newest stored version. */
    public Timestamp newestTs() {
        return newestTs;
    }
}
