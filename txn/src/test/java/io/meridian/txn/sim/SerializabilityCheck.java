package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Observed;
import io.meridian.txn.sim.History.RwAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serializability at commit timestamps: a committed read-write transaction held its read locks
 * until it committed at {@code ts}, so each of its locking reads must have returned the newest
 * committed version strictly below {@code ts}. A lost update (two transactions reading the same
 * version and both writing) fails here: the later one's read is older than the version just
 * below its timestamp.
 */
final class SerializabilityCheck implements HistoryCheck {

    static final String NAME = "serializable at commit timestamps";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        VersionModel model = observations.model();
        CommitTimes times = new CommitTimes(observations.history(), model);
        List<Violation> found = new ArrayList<>();
        for (RwAttempt attempt : observations.history().attempts()) {
            Optional<Long> ts = times.of(attempt);
            if (ts.isEmpty()) {
                continue;
            }
            for (KeyRead read : attempt.reads()) {
                Optional<Observed> expected = model.visibleBefore(read.key(), ts.get())
                        .map(v -> new Observed(v.value().orElseThrow(), v.tsMicros()));
                if (!expected.equals(read.observed())) {
                    found.add(new Violation(NAME, Reports.describe(attempt) + " committed at " + ts.get() + "us but read "
                            + read.key() + " = " + SnapshotReadCheck.show(read.observed()) + " while the version just"
                            + " below its timestamp is " + SnapshotReadCheck.show(expected)));
                }
            }
        }
        return Reports.capped(NAME, found);
    }
}
