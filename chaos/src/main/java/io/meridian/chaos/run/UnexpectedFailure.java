package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.Outcome;

/**
 * A workload operation failed in a way the SDK does not promise (not a
 * {@code MeridianException}): the runner records the operation with {@link #outcome()} and
 * reports the failure as a finding of the run.
 */
final class UnexpectedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Outcome outcome;
    private final transient Action action;

    UnexpectedFailure(Outcome outcome, Action action, Throwable cause) {
        super("unexpected failure of " + action + ": " + cause, cause);
        this.outcome = outcome;
        this.action = action;
    }

    Outcome outcome() {
        return outcome;
    }

    Action action() {
        return action;
    }
}
