package io.meridian.truetime;

/**
 * A node's local physical clock: the seam through which all of Meridian's protocol code reads
 * time. Production uses {@code io.meridian.truetime.system.SystemClock}; simulations use
 * {@code io.meridian.truetime.sim.SimClock}, which drifts, steps and skews on command.
 *
 * <p>The clock promises nothing about its error: bounding the error is what {@link TrueTime}
 * sources are for. Implementations are thread-safe unless they say otherwise.
 */
public interface Clock {

    /**
     * The wall clock: microseconds since the Unix epoch as this node believes them. It may be
     * wrong by any amount and may jump (forwards or backwards) when it is stepped.
     */
    long nowMicros();

    /**
     * A monotonic reading in microseconds from an arbitrary origin, for measuring elapsed time:
     * it never decreases and is not affected by steps of the wall clock, but it runs at the
     * local oscillator's rate, so it drifts against true time.
     */
    long monotonicMicros();
}
