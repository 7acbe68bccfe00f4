package io.meridian.chaos.run;

import io.meridian.chaos.history.Outcome;
import io.meridian.client.AmbiguousCommitException;
import io.meridian.client.MeridianException;

/**
 * The one place where a failed operation becomes an {@link Outcome}. A write that failed with
 * {@link AmbiguousCommitException} may have committed: {@code INFO}. Any other
 * {@link MeridianException} from the SDK proves that nothing was applied: {@code FAIL}. A
 * read applies nothing, so a failed read is {@code FAIL}. Anything else (a bug in the harness
 * or the SDK) is {@code INFO} and is also reported as unexpected by the runner.
 */
final class Outcomes {

    private Outcomes() {
    }

    /** The outcome of a write (a read-write transaction or blind write) that threw {@code failure}. */
    static Outcome ofWrite(Throwable failure) {
        return failure instanceof MeridianException && !(failure instanceof AmbiguousCommitException)
                ? Outcome.FAIL : Outcome.INFO;
    }

    /** The outcome of a read that threw {@code failure}. */
    static Outcome ofRead(Throwable failure) {
        return failure instanceof MeridianException ? Outcome.FAIL : Outcome.INFO;
    }

    /** True if {@code failure} is not one the SDK promises (a bug to report, whatever the outcome). */
    static boolean unexpected(Throwable failure) {
        return !(failure instanceof MeridianException);
    }
}
