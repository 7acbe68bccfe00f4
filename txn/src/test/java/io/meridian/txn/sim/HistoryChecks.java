package io.meridian.txn.sim;

import java.util.ArrayList;
import java.util.List;

/** Every check a simulated run must pass, in DESIGN.md's order, and the runner over them. */
final class HistoryChecks {

    /** The checks: invariants 1 to 8, serializability at commit timestamps, the bank total, the list-append graph. */
    static final List<HistoryCheck> ALL = List.of(
            new ExternalConsistencyCheck(),
            new CommitWaitCheck(),
            new LogTimestampCheck(),
            new SnapshotReadCheck(),
            new SerializabilityCheck(),
            new DurabilityCheck(),
            new AtomicityCheck(),
            new LivenessCheck(),
            new BankCheck(),
            new ListAppendCheck());

    /** The name of what the world itself noticed while running. */
    static final String WORLD = "world";

    private HistoryChecks() {
    }

    /** The world's own findings, then every check's violations. */
    static List<Violation> run(Observations observations) {
        List<Violation> found = new ArrayList<>(Reports.capped(WORLD, observations.worldViolations()));
        for (HistoryCheck check : ALL) {
            found.addAll(check.check(observations));
        }
        return found;
    }
}
