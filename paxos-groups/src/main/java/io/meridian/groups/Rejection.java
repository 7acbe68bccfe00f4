package io.meridian.groups;

import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import java.util.List;
import java.util.Objects;

/**
 * Why a state machine refused a command: the {@code Rejected} reply in the making.
 *
 * @param reason the reason code
 * @param message a sentence for people
 */
record Rejection(RejectReason reason, String message) {

    Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static Rejection invalid(String message) {
        return new Rejection(RejectReason.REJECT_REASON_INVALID, message);
    }

    static Rejection wrongRange(String message) {
        return new Rejection(RejectReason.REJECT_REASON_WRONG_RANGE, message);
    }

    /** The reply carrying this rejection and the group's ranges. */
    CommandReply reply(List<RangeState> ranges) {
        return CommandReply.newBuilder().setRejected(CommandReply.Rejected.newBuilder()
                .setReason(reason).setMessage(message).addAllRanges(ranges)).build();
    }
}
