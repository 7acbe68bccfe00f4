package io.meridian.chaos.proxy;

/**
 * A snapshot of a {@link Link}'s counters since it was opened. Counters are read one at a
 * time while traffic flows, so a snapshot is not atomic across fields.
 *
 * @param connectionsAccepted connections accepted on the link's port, including those reset
 *                            at once because the link was resetting
 * @param connectionsReset    connections the proxy reset on purpose: by {@link Link#reset()},
 *                            on accept while resetting, or by
 *                            {@link LinkFaults#resetProbability()}; failures of the endpoints
 *                            or of the target's port are not counted
 * @param forward             byte counters from client to target
 * @param backward            byte counters from target to client
 */
public record LinkStats(long connectionsAccepted, long connectionsReset, DirectionStats forward,
        DirectionStats backward) {

    /**
     * The counters of {@code direction}; for {@link Direction#BOTH}, the sum of both
     * directions.
     */
    public DirectionStats direction(Direction direction) {
        return switch (direction) {
            case FORWARD -> forward;
            case BACKWARD -> backward;
            case BOTH -> forward.plus(backward);
        };
    }
}
