package io.meridian.groups;

/**
 * The replication layer could not say what became of a proposal (timeout, leader lost after
 * the append, server shutting down): the command may or may not commit. Callers must treat
 * the outcome as ambiguous.
 */
public final class ReplicationException extends RuntimeException {

    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
