package io.meridian.chaos.proxy;

/** Which way through a {@link Link} a fault applies. */
public enum Direction {
    /** From the client that connected to the link towards the link's target. */
    FORWARD,
    /** From the link's target back towards the client. */
    BACKWARD,
    /** Both {@link #FORWARD} and {@link #BACKWARD}. */
    BOTH;

    /** Whether a fault set for this direction applies to bytes travelling {@code way}. */
    boolean covers(Direction way) {
        return this == BOTH || this == way;
    }
}
