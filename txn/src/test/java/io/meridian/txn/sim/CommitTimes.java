package io.meridian.txn.sim;

import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The commit timestamp of every attempt that committed: the acknowledged timestamp, or for an
 * ambiguous outcome the timestamp its writes carry in the final stores (when they are there).
 */
final class CommitTimes {

    private final Map<String, Long> byTag = new TreeMap<>();

    CommitTimes(History history, VersionModel model) {
        Map<String, List<VersionModel.Version>> written = model.byTag();
        for (RwAttempt attempt : history.attempts()) {
            if (attempt.outcome() instanceof Outcome.Committed committed) {
                byTag.put(attempt.tag(), committed.tsMicros());
            } else if (attempt.outcome() instanceof Outcome.Ambiguous) {
                written.getOrDefault(attempt.tag(), List.of()).stream()
                        .mapToLong(VersionModel.Version::tsMicros).min()
                        .ifPresent(ts -> byTag.put(attempt.tag(), ts));
            }
        }
    }

    /** The attempt's commit timestamp, if it committed. */
    Optional<Long> of(RwAttempt attempt) {
        return Optional.ofNullable(byTag.get(attempt.tag()));
    }

    /** True when the attempt is known to have committed. */
    boolean committed(RwAttempt attempt) {
        return byTag.containsKey(attempt.tag());
    }
}
