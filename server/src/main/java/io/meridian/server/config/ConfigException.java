package io.meridian.server.config;

/**
 * The node's configuration is unusable: a flag is missing, malformed or contradicts another, or
 * the data directory belongs to another node or cluster. The message names the flag or file at
 * fault and is meant for the operator; the node exits with code 2.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with an operator-facing message. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates the exception with an operator-facing message and the failure behind it. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
