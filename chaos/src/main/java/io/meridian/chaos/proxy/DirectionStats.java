package io.meridian.chaos.proxy;

/**
 * Counters for one direction of a {@link Link}, summed over all its connections since the
 * link was opened; a snapshot, part of {@link LinkStats}.
 *
 * @param bytesForwarded bytes written to the receiver
 * @param bytesDiscarded bytes read and dropped because the direction was blackholed
 * @param resetsInjected connections this direction reset because of
 *                       {@link LinkFaults#resetProbability()}
 */
public record DirectionStats(long bytesForwarded, long bytesDiscarded, long resetsInjected) {

    /** The element-wise sum of this and {@code other}. */
    public DirectionStats plus(DirectionStats other) {
        return new DirectionStats(bytesForwarded + other.bytesForwarded,
                bytesDiscarded + other.bytesDiscarded, resetsInjected + other.resetsInjected);
    }
}
