package io.meridian.server.status;

/**
 * What kind of call failed, which decides how failures whose effect is unknown are reported.
 */
public enum CallKind {

    /** A read or other call without side effects: an unknown outcome is safe to retry. */
    READ,

    /**
     * A commit or another call that changes state: a failure after the request may have been
     * applied is ambiguous ({@code UNKNOWN}), never retryable.
     */
    COMMIT
}
