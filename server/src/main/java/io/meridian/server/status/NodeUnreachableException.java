package io.meridian.server.status;

/**
 * A call to another node failed in the transport (connection refused or lost, deadline passed,
 * an answer without Meridian's error details). The request may have reached the node and run
 * there: for a commit the outcome is ambiguous.
 */
public final class NodeUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception for a call to {@code target} that failed with {@code cause}. */
    public NodeUnreachableException(String target, Throwable cause) {
        super("node " + target + " did not answer: " + cause.getMessage(), cause);
    }

    /**
     * True when the failure proves the request never reached the node (the connection was
     * refused), so that even a commit may be retried elsewhere.
     */
    public boolean certainlyNotDelivered() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }
}
