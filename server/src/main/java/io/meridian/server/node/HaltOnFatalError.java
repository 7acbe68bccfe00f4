package io.meridian.server.node;

import io.meridian.groups.ratis.FatalErrorHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The production {@link FatalErrorHandler}: logs what failed and halts the JVM with exit code
 * {@value #EXIT_CODE}, without running shutdown hooks (the replica can no longer be trusted, and
 * an orderly shutdown could persist more of its state). Thread-safe.
 */
public final class HaltOnFatalError implements FatalErrorHandler {

    /** The exit code of a node that halted on a fatal error (EX_SOFTWARE). */
    public static final int EXIT_CODE = 70;

    private static final Logger LOG = Logger.getLogger(HaltOnFatalError.class.getName());

    @Override
    public void fatal(String what, Throwable cause) {
        try {
            LOG.log(Level.SEVERE, "fatal: " + what + "; halting the node", cause);
            System.err.println("meridian: fatal: " + what + ": " + cause);
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
