package io.meridian.txn.sim;

import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import java.util.List;

/** How checks name transactions in their messages, and how many violations of one kind they list. */
final class Reports {

    /** Violations listed per check; the rest are counted. */
    static final int VIOLATIONS_LISTED_MAX = 8;

    private Reports() {
    }

    static String describe(RwAttempt attempt) {
        return attempt.tag() + " (gateway " + attempt.gateway() + ", true " + attempt.startMicros() + ".."
                + (attempt.endMicros() == Long.MAX_VALUE ? "?" : attempt.endMicros()) + "us, " + attempt.outcome() + ")";
    }

    static String describe(SnapshotRead snapshot) {
        return "snapshot " + snapshot.id() + " at " + snapshot.readTsMicros() + "us (gateway " + snapshot.gateway()
                + ", true " + snapshot.startMicros() + ".." + snapshot.endMicros() + "us"
                + snapshot.repeatOf().map(original -> ", repeating " + original).orElse("") + ")";
    }

    /** {@code found} cut to {@link #VIOLATIONS_LISTED_MAX}, with a last entry counting the rest. */
    static List<Violation> capped(String check, List<Violation> found) {
        if (found.size() <= VIOLATIONS_LISTED_MAX) {
            return found;
        }
        List<Violation> listed = new java.util.ArrayList<>(found.subList(0, VIOLATIONS_LISTED_MAX));
        listed.add(new Violation(check, "... and " + (found.size() - VIOLATIONS_LISTED_MAX) + " more"));
        return listed;
    }
}
