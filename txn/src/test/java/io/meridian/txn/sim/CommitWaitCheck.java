package io.meridian.txn.sim;

import io.meridian.txn.sim.History.RwAttempt;
import java.util.ArrayList;
import java.util.List;

/**
 * Invariant 2: no acknowledgement before {@code TT.after(ts)}. With honest clocks
 * {@code TT.after(ts)} means true time has passed {@code ts}, so the client's acknowledgement
 * must come at a true time strictly above the commit timestamp. A node whose clock runs ahead of
 * its ε finishes commit wait too early and breaks exactly this.
 */
final class CommitWaitCheck implements HistoryCheck {

    static final String NAME = "2 commit wait";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        List<Violation> found = new ArrayList<>();
        for (RwAttempt attempt : observations.history().attempts()) {
            attempt.committedTs().ifPresent(ts -> {
                if (attempt.endMicros() <= ts) {
                    found.add(new Violation(NAME, Reports.describe(attempt) + " was acknowledged at true time "
                            + attempt.endMicros() + "us, not after its commit timestamp " + ts + "us"));
                }
            });
        }
        return Reports.capped(NAME, found);
    }
}
