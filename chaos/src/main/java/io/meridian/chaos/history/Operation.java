package io.meridian.chaos.history;

import java.util.Objects;

/**
 * One operation of a history: invoked by client {@code process} at {@code invokeNanos}, ended
 * at {@code completeNanos} with {@code outcome}. Times are one monotonic clock of the harness
 * (the recorder's {@code System.nanoTime()}), so real-time order is {@code a.completeNanos <
 * b.invokeNanos}. A process runs one operation at a time.
 *
 * @param index         the operation's position in the history, from 0, in invocation order
 * @param process       the client that ran it
 * @param invokeNanos   when it was invoked
 * @param completeNanos when its outcome was known ({@code >= invokeNanos}); for {@link Outcome#INFO}
 *     the operation may still take effect later
 * @param outcome       how it ended
 * @param action        what it did, with what it observed
 */
public record Operation(long index, int process, long invokeNanos, long completeNanos, Outcome outcome,
        Action action) {

    public Operation {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(action, "action");
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("operation " + index + " completes before it is invoked");
        }
    }

    /** True if this operation certainly finished before {@code other} began (real-time order). */
    public boolean precedes(Operation other) {
        return outcome != Outcome.INFO && completeNanos < other.invokeNanos;
    }
}
