package io.meridian.server.node;

import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.groups.GroupReplica;
import io.meridian.groups.NotLeaderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Proposes idempotent setup commands (a group's {@code InitGroup}, the meta bootstrap) again and
 * again, from every member of a new group, until they are applied: only the leader's proposal
 * enters the log, the first one wins at apply, and later copies change nothing. Loops run on
 * virtual threads and stop at {@link #close()}.
 *
 * <p>Thread-safe.
 */
final class CommandProposer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommandProposer.class.getName());
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration PROPOSAL_TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService background;
    private volatile boolean closed;

    CommandProposer(ExecutorService background) {
        this.background = background;
    }

    /**
     * Starts a loop that proposes {@code commands} in order at {@code replica} until
     * {@code applied} holds, this replica's proposal of the last command got a reply, the loop
     * ran for {@code bound}, or the proposer is closed.
     *
     * @param what a name for the log
     * @param onApplied run once when the loop ends because the commands were applied
     */
    void proposeUntilApplied(GroupReplica replica, List<GroupCommand> commands, BooleanSupplier applied,
            Duration bound, String what, Runnable onApplied) {
        background.execute(() -> {
            long endNanos = System.nanoTime() + bound.toNanos();
            while (!closed && System.nanoTime() < endNanos) {
                if (applied.getAsBoolean() || proposeAll(replica, commands)) {
                    LOG.fine(() -> what + " applied");
                    onApplied.run();
                    return;
                }
                if (!pause()) {
                    return;
                }
            }
            if (!closed) {
                LOG.info(() -> "stopped proposing " + what + " after " + bound + " (another member's proposal"
                        + " may have been applied)");
            }
        });
    }

    /** Proposes each command once; true when the last one got a reply (it went through the log). */
    private boolean proposeAll(GroupReplica replica, List<GroupCommand> commands) {
        for (GroupCommand command : commands) {
            try {
                replica.propose(command).get(PROPOSAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException)) {
                    LOG.log(Level.FINE, "proposal at " + replica.group() + " failed; will retry", e.getCause());
                }
                return false;
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "proposal at " + replica.group() + " failed; will retry", e);
                return false;
            }
        }
        return true;
    }

    private boolean pause() {
        try {
            Thread.sleep(PAUSE.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops every loop at its next turn. */
    @Override
    public void close() {
        closed = true;
    }
}
