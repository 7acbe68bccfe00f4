package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Observed;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Invariant 7: a multi-group commit is visible on all its ranges or none.
 * <ul>
 *   <li>In the final stores, the versions an attempt wrote (found by their tag) are all of its
 *       writes, at one timestamp, or none of them; an aborted or abandoned attempt wrote none;
 *       no version comes from a writer the history does not know.</li>
 *   <li>In every snapshot, a writer visible on one key is visible on every other key it wrote
 *       that the snapshot read: that key shows the writer's version or a newer one. A torn
 *       read, one side of a transfer without the other, fails here even without the stores.</li>
 * </ul>
 */
final class AtomicityCheck implements HistoryCheck {

    static final String NAME = "7 atomicity";

    /** The tag of the versions the world writes before the workloads start. */
    static final String INITIAL_TAG = "init";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        Map<String, RwAttempt> byTag = new HashMap<>();
        observations.history().attempts().forEach(attempt -> byTag.put(attempt.tag(), attempt));
        List<Violation> found = new ArrayList<>();
        Map<String, List<VersionModel.Version>> written = observations.model().byTag();
        for (Map.Entry<String, List<VersionModel.Version>> entry : written.entrySet()) {
            String tag = entry.getKey();
            if (tag.equals(INITIAL_TAG)) {
                continue;
            }
            RwAttempt attempt = byTag.get(tag);
            if (attempt == null) {
                found.add(new Violation(NAME, "versions " + entry.getValue() + " come from no known transaction"));
                continue;
            }
            wholeOrNothing(attempt, entry.getValue(), found);
        }
        for (SnapshotRead snapshot : observations.history().snapshots()) {
            notTorn(snapshot, byTag, found);
        }
        return Reports.capped(NAME, found);
    }

    private static void wholeOrNothing(RwAttempt attempt, List<VersionModel.Version> versions, List<Violation> found) {
        if (attempt.outcome() instanceof Outcome.Aborted || attempt.outcome() instanceof Outcome.Abandoned) {
            found.add(new Violation(NAME, Reports.describe(attempt) + " did not commit, yet the stores hold its "
                    + versions));
            return;
        }
        Set<Long> timestamps = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        for (VersionModel.Version version : versions) {
            timestamps.add(version.tsMicros());
            keys.add(version.key());
        }
        Set<String> intended = new TreeSet<>();
        for (Write write : attempt.writes()) {
            intended.add(write.key());
        }
        if (timestamps.size() != 1 || !keys.equals(intended) || versions.size() != intended.size()) {
            found.add(new Violation(NAME, Reports.describe(attempt) + " wrote " + intended + " but the stores hold "
                    + versions + ": not all of them at one timestamp"));
        }
    }

    private static void notTorn(SnapshotRead snapshot, Map<String, RwAttempt> byTag, List<Violation> found) {
        Map<String, Optional<Observed>> seen = new HashMap<>();
        snapshot.reads().forEach(read -> seen.put(read.key(), read.observed()));
        for (KeyRead read : snapshot.reads()) {
            if (read.observed().isEmpty()) {
                continue;
            }
            Observed visible = read.observed().get();
            RwAttempt writer = byTag.get(TaggedValue.tagOf(visible.value()));
            if (writer == null) {
                continue;
            }
            for (Write other : writer.writes()) {
                if (other.key().equals(read.key()) || !seen.containsKey(other.key())) {
                    continue;
                }
                Optional<Observed> there = seen.get(other.key());
                if (there.isEmpty() || there.get().tsMicros() < visible.tsMicros()) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " sees " + writer.tag() + " on "
                            + read.key() + " (ts " + visible.tsMicros() + "us) but not on " + other.key() + ", where it sees "
                            + SnapshotReadCheck.show(there)));
                }
            }
        }
    }
}
