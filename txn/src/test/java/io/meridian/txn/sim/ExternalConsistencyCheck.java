package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Invariant 1, external consistency, in true time: if {@code T1} was acknowledged before
 * {@code T2} began, {@code ts(T1) < ts(T2)}. Checked between read-write transactions (acknowledged
 * {@code T1}; {@code T2} acknowledged or ambiguous and found committed), from a read-write
 * transaction to a later strong snapshot reading a key it wrote ({@code read_ts >= ts(T1)}: the
 * snapshot sees it), and from a strong snapshot to a later read-write transaction writing a key
 * the snapshot read ({@code ts(T2) > read_ts}: the snapshot did not miss it). A snapshot may read
 * below an earlier commit that wrote nothing it reads (a one-group read uses the group's last
 * commit timestamp). Repeated snapshots read at an old timestamp on purpose and are left out.
 */
final class ExternalConsistencyCheck implements HistoryCheck {

    static final String NAME = "1 external consistency";

    @Override
    public String name() {
        return NAME;
    }

    private record Timed(RwAttempt attempt, long tsMicros) {
    }

    @Override
    public List<Violation> check(Observations observations) {
        CommitTimes times = new CommitTimes(observations.history(), observations.model());
        List<Timed> acked = new ArrayList<>();
        List<Timed> committed = new ArrayList<>();
        for (RwAttempt attempt : observations.history().attempts()) {
            times.of(attempt).ifPresent(ts -> {
                committed.add(new Timed(attempt, ts));
                if (attempt.committedTs().isPresent()) {
                    acked.add(new Timed(attempt, ts));
                }
            });
        }
        acked.sort(Comparator.comparingLong(t -> t.attempt().endMicros()));
        List<Violation> found = new ArrayList<>();
        betweenReadWrites(acked, committed, found);
        List<SnapshotRead> strong = observations.history().snapshots().stream()
                .filter(s -> s.repeatOf().isEmpty()).toList();
        intoSnapshots(acked, strong, found);
        fromSnapshots(strong, committed, found);
        return Reports.capped(NAME, found);
    }

    /** Sweeps {@code T2} by start time, keeping the acknowledged {@code T1} with the highest timestamp so far. */
    private static void betweenReadWrites(List<Timed> ackedByEnd, List<Timed> committed, List<Violation> found) {
        List<Timed> byStart = new ArrayList<>(committed);
        byStart.sort(Comparator.comparingLong(t -> t.attempt().startMicros()));
        Timed highest = null;
        int next = 0;
        for (Timed later : byStart) {
            while (next < ackedByEnd.size() && ackedByEnd.get(next).attempt().endMicros() < later.attempt().startMicros()) {
                Timed candidate = ackedByEnd.get(next++);
                if (highest == null || candidate.tsMicros() > highest.tsMicros()) {
                    highest = candidate;
                }
            }
            if (highest != null && highest.tsMicros() >= later.tsMicros()) {
                found.add(new Violation(NAME, Reports.describe(highest.attempt()) + " at ts " + highest.tsMicros()
                        + "us was acknowledged before " + Reports.describe(later.attempt()) + " began, which got ts "
                        + later.tsMicros() + "us"));
            }
        }
    }

    private static void intoSnapshots(List<Timed> acked, List<SnapshotRead> strong, List<Violation> found) {
        for (SnapshotRead snapshot : strong) {
            Set<String> read = keysOf(snapshot);
            for (Timed earlier : acked) {
                if (earlier.attempt().endMicros() < snapshot.startMicros() && earlier.tsMicros() > snapshot.readTsMicros()
                        && writesAny(earlier.attempt(), read)) {
                    found.add(new Violation(NAME, Reports.describe(earlier.attempt()) + " at ts " + earlier.tsMicros()
                            + "us was acknowledged before " + Reports.describe(snapshot) + " began, which reads "
                            + written(earlier.attempt(), read) + " below it"));
                }
            }
        }
    }

    private static Set<String> keysOf(SnapshotRead snapshot) {
        Set<String> read = new HashSet<>();
        for (KeyRead keyRead : snapshot.reads()) {
            read.add(keyRead.key());
        }
        return read;
    }

    private static List<String> written(RwAttempt attempt, Set<String> keys) {
        return attempt.writes().stream().map(Write::key).filter(keys::contains).toList();
    }

    private static void fromSnapshots(List<SnapshotRead> strong, List<Timed> committed, List<Violation> found) {
        for (SnapshotRead snapshot : strong) {
            Set<String> read = keysOf(snapshot);
            for (Timed later : committed) {
                if (snapshot.endMicros() < later.attempt().startMicros() && later.tsMicros() <= snapshot.readTsMicros()
                        && writesAny(later.attempt(), read)) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " ended before "
                            + Reports.describe(later.attempt()) + " began, which writes " + written(later.attempt(), read) + " at ts "
                            + later.tsMicros() + "us, not above the snapshot"));
                }
            }
        }
    }

    private static boolean writesAny(RwAttempt attempt, Set<String> keys) {
        for (Write write : attempt.writes()) {
            if (keys.contains(write.key())) {
                return true;
            }
        }
        return false;
    }
}
