package io.meridian.client.cli;

/**
 * A command line the shell cannot run as typed: an unterminated quote, a bad escape or hex
 * literal, an unknown command, or arguments that do not fit the command. The message is one
 * line meant for the user, e.g. {@code unterminated " quote} or
 * {@code usage: put <key> <value>}; nothing was sent to the cluster.
 */
final class ShellSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * A syntax error.
     *
     * @param message what is wrong, in one line
     */
    ShellSyntaxException(String message) {
        super(message);
    }
}
