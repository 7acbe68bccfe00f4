package io.meridian.groups;

import io.meridian.truetime.Timestamp;

/**
 * A read at a timestamp waited as long as it was allowed to and the replica's safe time did
 * not reach the timestamp. Nothing was read.
 */
public final class SafeTimeWaitTimeoutException extends RuntimeException {

    /**
     * @param readTs the timestamp the read waited for
     * @param safeTs the replica's safe time when the wait ended
     * @param why    what held the safe time back, e.g. a prepared transaction
     */
    public SafeTimeWaitTimeoutException(Timestamp readTs, Timestamp safeTs, String why) {
        super("replica safe time " + safeTs + " did not reach read timestamp " + readTs + " in time: " + why);
    }
}
