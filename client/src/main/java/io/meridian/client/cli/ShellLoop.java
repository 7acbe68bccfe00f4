package io.meridian.client.cli;

import java.io.IOException;
import java.util.Optional;

/**
 * Feeds lines from a {@link LineSource} to a {@link ShellSession} until {@code quit} or the end
 * of input, and turns what happened into the process's exit status. Used by one thread.
 */
final class ShellLoop {

    /** Every command succeeded, or the interactive session ended normally. */
    static final int EXIT_OK = 0;
    /** A command failed (only for {@code exec} and piped input). */
    static final int EXIT_COMMAND_FAILED = 1;
    /** The shell's own command line was wrong. */
    static final int EXIT_USAGE = 2;

    /** What to do after a command fails. */
    enum OnError {
        /** Go on with the next line; exit 0 at the end (a person at a terminal saw the error). */
        CONTINUE_AND_SUCCEED,
        /** Go on with the next line; exit with {@link #EXIT_COMMAND_FAILED} at the end (piped input). */
        CONTINUE_AND_FAIL,
        /** Stop at once and exit with {@link #EXIT_COMMAND_FAILED} ({@code exec}). */
        STOP
    }

    private ShellLoop() {
    }

    /**
     * Runs every line, then ends the session. A transaction left open is rolled back; unless
     * the session is interactive it counts as a failure, since a script that forgot its
     * {@code commit} did not write what it meant to.
     *
     * @param session the session
     * @param lines   where the lines come from
     * @param onError what a failed command does to the rest of the run
     * @return the exit status: {@link #EXIT_OK} or {@link #EXIT_COMMAND_FAILED}
     * @throws IOException if reading the lines fails
     */
    static int run(ShellSession session, LineSource lines, OnError onError) throws IOException {
        boolean failed = false;
        boolean ended = false;
        try {
            while (true) {
                Optional<String> line = lines.readLine(session.prompt());
                if (line.isEmpty()) {
                    break;
                }
                ShellSession.Outcome outcome = session.execute(line.get());
                if (outcome == ShellSession.Outcome.QUIT) {
                    break;
                }
                if (outcome == ShellSession.Outcome.FAILED) {
                    failed = true;
                    if (onError == OnError.STOP) {
                        break;
                    }
                }
            }
            failed |= session.end(onError != OnError.CONTINUE_AND_SUCCEED);
            ended = true;
        } finally {
            if (!ended) {
                session.end(true);
            }
        }
        return failed && onError != OnError.CONTINUE_AND_SUCCEED ? EXIT_COMMAND_FAILED : EXIT_OK;
    }
}
