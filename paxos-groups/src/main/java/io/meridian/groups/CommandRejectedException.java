package io.meridian.groups;

import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import java.util.List;

/**
 * A group's state machine refused a command (or its leader refused it before proposing):
 * nothing of it was applied. {@link #reason()} says whether a retry can succeed.
 */
public final class CommandRejectedException extends RuntimeException {

    private final RejectReason reason;
    private final List<RangeState> ranges;

    public CommandRejectedException(RejectReason reason, String message, List<RangeState> ranges) {
        super(message);
        this.reason = reason;
        this.ranges = List.copyOf(ranges);
    }

    /** Why the command was refused. */
    public RejectReason reason() {
        return reason;
    }

    /** The group's ranges when it refused (for {@code WRONG_RANGE}: where the keys are not). */
    public List<RangeState> ranges() {
        return ranges;
    }
}
