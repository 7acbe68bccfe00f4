package io.meridian.txn.sim;

import io.meridian.txn.AbortReason;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Invariant 8, wound-wait: no deadlock, and an older transaction never waits for a younger one.
 * What a history can show of it:
 * <ul>
 *   <li>no deadlock: every attempt finished (committed, aborted, ambiguous or abandoned) by the
 *       end of the run, once faults had healed; nothing the world found left over (a prepared
 *       transaction never resolved, a final transaction over every key that could not commit,
 *       which would mean a lock never released);</li>
 *   <li>wounds go one way: an attempt aborted as {@code WOUNDED} overlapped in time with an
 *       attempt of another transaction that is older (lower priority, ties allowed) and asked for
 *       one of the same keys, give or take {@link #LATE_REQUEST_MICROS} (a delayed or duplicated
 *       request may reach a group after its sender has moved on, and wait there for a lock). A
 *       younger transaction wounding an older one means the older lost to the younger.</li>
 * </ul>
 */
final class LivenessCheck implements HistoryCheck {

    static final String NAME = "8 wound-wait and liveness";

    /** How long after its sender saw the end of an attempt a request of it may still act at a group. */
    static final long LATE_REQUEST_MICROS = 1_000_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        List<Violation> found = new ArrayList<>();
        for (String leftover : observations.leftovers()) {
            found.add(new Violation(NAME, leftover));
        }
        List<RwAttempt> attempts = observations.history().attempts();
        for (RwAttempt attempt : attempts) {
            if (attempt.outcome() instanceof Outcome.Unfinished) {
                found.add(new Violation(NAME, Reports.describe(attempt) + " never finished"));
            }
            if (attempt.outcome() instanceof Outcome.Aborted aborted && aborted.reason() == AbortReason.WOUNDED
                    && !woundedByOlder(attempt, attempts)) {
                found.add(new Violation(NAME, Reports.describe(attempt) + " (priority " + attempt.priorityMicros()
                        + ") was wounded while no older transaction asked for any of its keys " + attempt.keys()));
            }
        }
        return Reports.capped(NAME, found);
    }

    private static boolean woundedByOlder(RwAttempt wounded, List<RwAttempt> attempts) {
        Set<String> keys = new HashSet<>(wounded.keys());
        for (RwAttempt other : attempts) {
            boolean older = other.priorityMicros() <= wounded.priorityMicros() && !other.txn().equals(wounded.txn());
            long otherEnd = other.endMicros() == Long.MAX_VALUE ? Long.MAX_VALUE : other.endMicros() + LATE_REQUEST_MICROS;
            boolean overlapping = other.startMicros() <= wounded.endMicros() && otherEnd >= wounded.startMicros();
            if (older && overlapping && other.keys().stream().anyMatch(keys::contains)) {
                return true;
            }
        }
        return false;
    }
}
