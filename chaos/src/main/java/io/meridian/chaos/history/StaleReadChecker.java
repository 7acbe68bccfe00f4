package io.meridian.chaos.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The stale-read properties over {@link Action.TimedWrite}s and {@link Action.TimedRead}s:
 * <ul>
 *   <li><b>bound</b>: a bounded-staleness read's timestamp is no older than its bound before
 *       the read was invoked; an exact-staleness read's is its bound before some moment of the
 *       read; a read at a given timestamp reports that timestamp; no read's timestamp is later
 *       than its completion. Times are compared on the harness's wall clock, which the local
 *       nodes share, with {@code slackMicros} for their TrueTime uncertainty;</li>
 *   <li><b>snapshot</b>: a read at timestamp {@code t} sees the write with the greatest commit
 *       timestamp at or below {@code t} among the writes that certainly committed, or the value
 *       of a write whose outcome is unknown (its timestamp is unknown too), never an older
 *       value, nor a value committed above {@code t};</li>
 *   <li><b>repeatable</b>: two reads of a key at the same timestamp see the same value.</li>
 * </ul>
 */
public final class StaleReadChecker implements Checker {

    private final long slackMicros;

    /** @param slackMicros how far a node's TrueTime may be from the harness's clock, in µs */
    public StaleReadChecker(long slackMicros) {
        if (slackMicros < 0) {
            throw new IllegalArgumentException("slack must not be negative: " + slackMicros);
        }
        this.slackMicros = slackMicros;
    }

    @Override
    public CheckResult check(History history) {
        Map<String, TreeMap<Long, Action.TimedWrite>> committed = new HashMap<>();
        Map<Long, Outcome> outcomeOfValue = new HashMap<>();
        Map<Long, Action.TimedWrite> writeOfValue = new HashMap<>();
        for (Operation op : history.operations()) {
            if (op.action() instanceof Action.TimedWrite write && op.outcome() != Outcome.FAIL) {
                outcomeOfValue.put(write.value(), op.outcome());
                writeOfValue.put(write.value(), write);
                if (op.outcome() == Outcome.OK) {
                    committed.computeIfAbsent(write.key(), key -> new TreeMap<>())
                            .put(write.commitTimestampMicros(), write);
                }
            }
        }
        List<String> anomalies = new ArrayList<>();
        Map<String, Operation> firstAt = new HashMap<>();
        for (Operation op : history.withOutcome(Outcome.OK)) {
            if (!(op.action() instanceof Action.TimedRead read)) {
                continue;
            }
            String where = "read " + op.index() + " of " + read.key() + " (" + read.bound().name().toLowerCase() + " "
                    + read.boundMicros() + " µs) at " + read.readTimestampMicros() + " saw " + read.observed();
            checkBound(read, where, anomalies);
            checkValue(read, where, committed.getOrDefault(read.key(), new TreeMap<>()), outcomeOfValue, writeOfValue,
                    anomalies);
            Operation first = firstAt.putIfAbsent(read.key() + "@" + read.readTimestampMicros(), op);
            if (first != null && !Objects.equals(((Action.TimedRead) first.action()).observed(), read.observed())) {
                anomalies.add("non-repeatable-read: " + where + ", but read " + first.index() + " at the same "
                        + "timestamp saw " + ((Action.TimedRead) first.action()).observed());
            }
        }
        return new CheckResult("stale-read", anomalies.isEmpty(), anomalies);
    }

    private void checkBound(Action.TimedRead read, String where, List<String> anomalies) {
        long ts = read.readTimestampMicros();
        boolean ok = switch (read.bound()) {
            case MAX_STALENESS -> ts >= read.invokedAtMicros() - read.boundMicros() - slackMicros;
            case EXACT_STALENESS -> ts >= read.invokedAtMicros() - read.boundMicros() - slackMicros
                    && ts <= read.completedAtMicros() - read.boundMicros() + slackMicros;
            case AT_TIMESTAMP -> ts == read.boundMicros();
        };
        if (!ok) {
            anomalies.add("bound-violated: " + where + ", invoked at " + read.invokedAtMicros() + " µs, completed at "
                    + read.completedAtMicros() + " µs (slack " + slackMicros + " µs)");
        }
        if (ts > read.completedAtMicros() + slackMicros) {
            anomalies.add("future-timestamp: " + where + ", completed at " + read.completedAtMicros() + " µs");
        }
    }

    private static void checkValue(Action.TimedRead read, String where, TreeMap<Long, Action.TimedWrite> committed,
            Map<Long, Outcome> outcomeOfValue, Map<Long, Action.TimedWrite> writeOfValue, List<String> anomalies) {
        Map.Entry<Long, Action.TimedWrite> latest = committed.floorEntry(read.readTimestampMicros());
        Long expected = latest == null ? null : latest.getValue().value();
        Long seen = read.observed();
        if (Objects.equals(seen, expected)) {
            return;
        }
        if (seen == null) {
            anomalies.add("stale-read: " + where + ", but " + expected + " committed at " + latest.getKey());
            return;
        }
        Outcome outcome = outcomeOfValue.get(seen);
        Action.TimedWrite writer = writeOfValue.get(seen);
        if (outcome == null || !writer.key().equals(read.key())) {
            anomalies.add("unknown-value: " + where + ", a value no write of " + read.key() + " may have written");
        } else if (outcome == Outcome.INFO) {
            // The write's outcome and timestamp are unknown: it may be the newest at or below the read's.
            return;
        } else if (writer.commitTimestampMicros() > read.readTimestampMicros()) {
            anomalies.add("future-read: " + where + ", a value committed later, at " + writer.commitTimestampMicros());
        } else {
            anomalies.add("stale-read: " + where + " (committed at " + writer.commitTimestampMicros() + "), but "
                    + expected + " committed at " + latest.getKey());
        }
    }
}
