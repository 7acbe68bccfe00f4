package io.meridian.chaos.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * The faults applied to one direction of a {@link Link}, an immutable value; set it with
 * {@link Link#set(Direction, LinkFaults)}. {@link #NONE} heals the direction.
 *
 * <p>Each chunk read from the sender (up to {@value Pump#CHUNK_BYTES_MAX} bytes, whatever one
 * socket read returned) is handled, in this order:
 * <ol>
 *   <li>{@code resetProbability}: with this probability the whole connection is reset (RST to
 *       both endpoints). This stands in for packet loss: TCP cannot lose bytes without
 *       corrupting the stream, so a lost chunk is a lost connection.</li>
 *   <li>{@code delay} and {@code jitter}: the chunk is held for {@code delay} plus a uniformly
 *       random extra in {@code [0, jitter]}, but never released before the chunk read before
 *       it, so order is preserved and {@code delay} is a lower bound.</li>
 *   <li>{@code blackhole}: when the chunk is due, it waits while the direction is blackholed.
 *       Nothing is forwarded and no reset is sent, so both endpoints see an open but silent
 *       connection, as across a cut network; chunks (and a FIN) are delivered in order once
 *       the blackhole lifts, as TCP retransmission would deliver them. Nothing is lost, so the
 *       receiver's stream never has a hole. When the waiting chunks fill the delay line the
 *       sender is pushed back. An endpoint that gives up on the silent connection closes it,
 *       as it would on a real network.</li>
 * </ol>
 *
 * @param delay            how long every chunk is held before it is forwarded; at least zero
 * @param jitter           the upper bound of a uniformly random extra hold per chunk; at
 *                         least zero
 * @param resetProbability the probability, in {@code [0, 1]}, that a chunk resets the
 *                         connection instead of being forwarded
 * @param blackhole        whether chunks are held back (until the blackhole lifts) instead of forwarded
 */
public record LinkFaults(Duration delay, Duration jitter, double resetProbability, boolean blackhole) {

    /** The longest {@code delay} or {@code jitter} accepted. */
    public static final Duration HOLD_MAX = Duration.ofHours(1);

    // Declared after HOLD_MAX, which the constructor reads.
    /** No fault: bytes pass straight through. */
    public static final LinkFaults NONE = new LinkFaults(Duration.ZERO, Duration.ZERO, 0.0, false);

    /** Checks the arguments; see the record's description. */
    public LinkFaults {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (delay.isNegative() || delay.compareTo(HOLD_MAX) > 0) {
            throw new IllegalArgumentException("delay must be in [0, " + HOLD_MAX + "]: " + delay);
        }
        if (jitter.isNegative() || jitter.compareTo(HOLD_MAX) > 0) {
            throw new IllegalArgumentException("jitter must be in [0, " + HOLD_MAX + "]: " + jitter);
        }
        if (!(resetProbability >= 0.0 && resetProbability <= 1.0)) {
            throw new IllegalArgumentException("resetProbability must be in [0, 1]: " + resetProbability);
        }
    }

    /** Only a delay of {@code delay} plus up to {@code jitter}. */
    public static LinkFaults delayed(Duration delay, Duration jitter) {
        return new LinkFaults(delay, jitter, 0.0, false);
    }

    /** Only a blackhole: nothing gets through until it lifts, connections stay open. */
    public static LinkFaults blackholed() {
        return new LinkFaults(Duration.ZERO, Duration.ZERO, 0.0, true);
    }

    /** Only random resets: each chunk resets its connection with probability {@code probability}. */
    public static LinkFaults resetting(double probability) {
        return new LinkFaults(Duration.ZERO, Duration.ZERO, probability, false);
    }

    /** This value with {@code delay} and {@code jitter} replaced. */
    public LinkFaults withDelay(Duration delay, Duration jitter) {
        return new LinkFaults(delay, jitter, resetProbability, blackhole);
    }

    /** This value with {@code resetProbability} replaced. */
    public LinkFaults withResetProbability(double resetProbability) {
        return new LinkFaults(delay, jitter, resetProbability, blackhole);
    }

    /** This value with {@code blackhole} replaced. */
    public LinkFaults withBlackhole(boolean blackhole) {
        return new LinkFaults(delay, jitter, resetProbability, blackhole);
    }

    /** Whether this is {@link #NONE}. */
    public boolean isNone() {
        return equals(NONE);
    }
}
