package io.meridian.chaos.proxy;

/**
 * Counters for one direction of a {@link Link}, summed over all its connections since the
 * link was opened; a snapshot, part of {@link LinkStats}.
 *
 * @param bytesForwarded bytes written to the receiver
 * @param bytesHeld      bytes forwarded only after a blackhole on the direction lifted (counted
 *                       as they leave, so also in {@code bytesForwarded})
 * @param resetsInjected connections this direction reset because of
 *                       {@link LinkFaults#resetProbability()}
 */
public record DirectionStats(long bytesForwarded, long bytesHeld, long resetsInjected) {

    /** The element-wise sum of this and {@code other}. */
    public DirectionStats plus(DirectionStats other) {
        return new DirectionStats(bytesForwarded + other.bytesForwarded,
                bytesHeld + other.bytesHeld, resetsInjected + other.resetsInjected);
    }
}
