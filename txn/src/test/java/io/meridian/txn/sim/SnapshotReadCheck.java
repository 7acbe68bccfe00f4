package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Observed;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Invariants 4 and 5, judged by results against the final stored versions.
 * <ul>
 *   <li>A snapshot read at {@code t} returned exactly the newest version at or below {@code t} of
 *       every key it read. A version at or below {@code t} that the read missed was committed
 *       after the read was served: the replica served above its {@code t_safe} (invariant 5),
 *       and a repeat would answer differently (invariant 4).</li>
 *   <li>A repeat of a snapshot at the same timestamp returned the same answer.</li>
 *   <li>Every read, locking ones included, returned a version that was committed (no value of an
 *       aborted or never-finished write, no invented timestamp).</li>
 * </ul>
 */
final class SnapshotReadCheck implements HistoryCheck {

    static final String NAME = "4/5 snapshot reads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        VersionModel model = observations.model();
        List<Violation> found = new ArrayList<>();
        Map<String, SnapshotRead> byId = new HashMap<>();
        for (SnapshotRead snapshot : observations.history().snapshots()) {
            byId.put(snapshot.id(), snapshot);
        }
        for (SnapshotRead snapshot : observations.history().snapshots()) {
            for (KeyRead read : snapshot.reads()) {
                Optional<Observed> expected = model.visibleAt(read.key(), snapshot.readTsMicros())
                        .map(v -> new Observed(v.value().orElseThrow(), v.tsMicros()));
                if (!expected.equals(read.observed())) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " read " + read.key() + " = "
                            + show(read.observed()) + " but the stores hold " + show(expected) + " at that timestamp"
                            + (missedLaterWrite(read.observed(), expected) ? ": a version at or below the read"
                                    + " timestamp was committed after the read was served (above t_safe)" : "")));
                }
            }
            snapshot.repeatOf().map(byId::get).ifPresent(original -> {
                if (!sameAnswer(original, snapshot)) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " answered " + snapshot.reads()
                            + " but the snapshot it repeats answered " + original.reads()));
                }
            });
        }
        for (RwAttempt attempt : observations.history().attempts()) {
            for (KeyRead read : attempt.reads()) {
                read.observed().ifPresent(seen -> {
                    Optional<VersionModel.Version> stored = model.at(read.key(), seen.tsMicros());
                    if (stored.isEmpty() || !stored.get().value().equals(Optional.of(seen.value()))) {
                        found.add(new Violation(NAME, Reports.describe(attempt) + " read " + read.key() + " = "
                                + seen.value() + " at " + seen.tsMicros() + "us, a version that never committed"));
                    }
                });
            }
        }
        return Reports.capped(NAME, found);
    }

    private static boolean missedLaterWrite(Optional<Observed> seen, Optional<Observed> expected) {
        return expected.isPresent() && (seen.isEmpty() || seen.get().tsMicros() < expected.get().tsMicros());
    }

    private static boolean sameAnswer(SnapshotRead original, SnapshotRead repeat) {
        Map<String, Optional<Observed>> first = new HashMap<>();
        original.reads().forEach(read -> first.put(read.key(), read.observed()));
        for (KeyRead read : repeat.reads()) {
            if (first.containsKey(read.key()) && !first.get(read.key()).equals(read.observed())) {
                return false;
            }
        }
        return true;
    }

    static String show(Optional<Observed> observed) {
        return observed.map(o -> o.value() + " (ts " + o.tsMicros() + "us)").orElse("nothing");
    }
}
