package io.meridian.groups;

import io.meridian.truetime.Timestamp;

/**
 * A read at a timestamp waited as long as it was allowed to and the replica's safe time did
 * not reach the timestamp. Nothing was read.
 */
public final class SafeTimeWaitTimeoutException extends RuntimeException {

    public SafeTimeWaitTimeoutException(Timestamp readTs, Timestamp safeTs) {
        super("replica safe time " + safeTs + " did not reach read timestamp " + readTs + " in time");
    }
}
