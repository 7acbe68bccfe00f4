package io.meridian.txn.sim;

import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Invariant 6: an acknowledged commit survives. Runs crash and restart a minority of each
 * group's replicas and change leaders (some losing uncommitted log entries); afterwards every
 * write of every acknowledged transaction must be in the final stores at exactly its commit
 * timestamp, with its value. (That the replicas of a group hold the same versions is checked by
 * the world when it builds the final model.)
 */
final class DurabilityCheck implements HistoryCheck {

    static final String NAME = "6 durability";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        List<Violation> found = new ArrayList<>();
        for (RwAttempt attempt : observations.history().attempts()) {
            Optional<Long> ts = attempt.committedTs();
            if (ts.isEmpty()) {
                continue;
            }
            for (Write write : attempt.writes()) {
                Optional<VersionModel.Version> stored = observations.model().at(write.key(), ts.get());
                if (stored.isEmpty() || !stored.get().value().equals(Optional.of(write.value()))) {
                    found.add(new Violation(NAME, Reports.describe(attempt) + " was acknowledged but its write "
                            + write.key() + " = " + write.value() + " is not stored at " + ts.get() + "us"
                            + stored.map(v -> " (found " + v.value().orElse("a tombstone") + ")").orElse("")));
                }
            }
        }
        return Reports.capped(NAME, found);
    }
}
