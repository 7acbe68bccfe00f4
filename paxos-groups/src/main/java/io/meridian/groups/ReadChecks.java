package io.meridian.groups;

import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.ReadCheck;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.storage.MvccStore;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Value-based validation of a write's {@link ReadCheck}s when the write applies: a check passes
 * when the same read returns exactly the same rows (keys, values, version timestamps) on the
 * newest data as at its {@code read_ts}. Deterministic: it depends only on the command and the
 * group's data, which every replica holds alike at the same log index.
 *
 * <p>Reads at {@code read_ts} need the versions the store keeps above its GC horizon, which is
 * node-local. Two rules keep that deterministic: a check more than {@link #AGE_MAX} older than
 * its commit timestamp fails on every replica ({@code READ_CONFLICT}), and a replica whose
 * horizon has nonetheless passed a check's {@code read_ts} cannot decide it and throws (the
 * replication layer stops it; it must be rebuilt from a snapshot) rather than diverge. A node's
 * GC watermark must therefore stay below every hosted group's safe time minus {@link #AGE_MAX}.
 */
final class ReadChecks {

    /** The oldest a read check may be, relative to its write's commit timestamp. */
    static final Duration AGE_MAX = Duration.ofMinutes(10);

    private static final long AGE_MAX_MICROS = TimeUnit.MICROSECONDS.convert(AGE_MAX);

    private ReadChecks() {
    }

    /**
     * The first check that is malformed ({@code INVALID}), outside {@code ranges}
     * ({@code WRONG_RANGE}) or too old ({@code READ_CONFLICT}), if any. Reads nothing.
     */
    static Optional<Rejection> validate(List<ReadCheck> checks, List<RangeState> ranges, Timestamp commitTs) {
        for (int i = 0; i < checks.size(); i++) {
            ReadCheck check = checks.get(i);
            String which = "read check " + i;
            Optional<Rejection> problem;
            try {
                problem = validateOne(check, which, ranges, commitTs);
            } catch (IllegalArgumentException e) {
                problem = Optional.of(Rejection.invalid(which + ": " + e.getMessage()));
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> validateOne(ReadCheck check, String which, List<RangeState> ranges,
            Timestamp commitTs) {
        long readTsMicros = check.getReadTsMicros();
        if (readTsMicros < 0 || readTsMicros >= commitTs.micros()) {
            return Optional.of(Rejection.invalid(which + " reads at " + readTsMicros
                    + "us, which is not below the commit timestamp " + commitTs));
        }
        switch (check.getTargetCase()) {
            case KEY -> {
                Keys.requireValid(check.getKey());
                if (GroupRanges.holding(ranges, check.getKey()).isEmpty()) {
                    return Optional.of(Rejection.wrongRange(which + " key " + Keys.describe(check.getKey())
                            + " is outside the group's ranges"));
                }
            }
            case RANGE -> {
                KeySpan span = Mutations.span(check.getRange());
                if (check.getLimit() < 1 || check.getLimit() > Limit.SCAN_ROWS.max()) {
                    return Optional.of(Rejection.invalid(which + " has row limit " + check.getLimit()
                            + ", not between 1 and " + Limit.SCAN_ROWS.max()));
                }
                if (!GroupRanges.encloses(ranges, span)) {
                    return Optional.of(Rejection.wrongRange(which + " span " + span + " is outside the group's ranges"));
                }
            }
            case TARGET_NOT_SET -> {
                return Optional.of(Rejection.invalid(which + " has neither a key nor a range"));
            }
        }
        if (commitTs.micros() - readTsMicros > AGE_MAX_MICROS) {
            return Optional.of(new Rejection(RejectReason.REJECT_REASON_READ_CONFLICT, which + " read at "
                    + readTsMicros + "us, more than " + AGE_MAX + " before the commit at " + commitTs
                    + "; too old to validate"));
        }
        return Optional.empty();
    }

    /**
     * A description of the first valid check whose read changed, if any.
     *
     * @throws IllegalStateException when this replica's GC horizon has passed a check's
     *     {@code read_ts} (see the class comment)
     */
    static Optional<String> firstConflict(MvccStore store, List<ReadCheck> checks) {
        for (int i = 0; i < checks.size(); i++) {
            ReadCheck check = checks.get(i);
            Timestamp readTs = new Timestamp(check.getReadTsMicros());
            try {
                if (!sameRead(store, check, readTs)) {
                    return Optional.of("read check " + i + " (" + describe(check) + " at " + readTs
                            + ") returns other rows now");
                }
            } catch (ReadBelowHorizonException e) {
                throw new IllegalStateException("this replica collected versions a replicated read check"
                        + " needs, so it cannot apply the write the way other replicas do: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    private static boolean sameRead(MvccStore store, ReadCheck check, Timestamp readTs) {
        return switch (check.getTargetCase()) {
            case KEY -> Objects.equals(store.get(check.getKey(), readTs), store.get(check.getKey(), Timestamp.MAX));
            case RANGE -> {
                KeySpan span = Mutations.span(check.getRange());
                int limit = Math.toIntExact(check.getLimit());
                ScanDirection direction = check.getReverse() ? ScanDirection.REVERSE : ScanDirection.FORWARD;
                yield rows(store, span, readTs, limit, direction).equals(rows(store, span, Timestamp.MAX, limit, direction));
            }
            case TARGET_NOT_SET -> throw new IllegalArgumentException("validated checks have a target");
        };
    }

    /** Up to {@code limit} rows, paging past the store's page-size bound. */
    private static List<Version> rows(MvccStore store, KeySpan span, Timestamp ts, int limit, ScanDirection direction) {
        List<Version> rows = new ArrayList<>();
        Optional<KeySpan> rest = Optional.of(span);
        while (rest.isPresent() && rows.size() < limit) {
            ScanResult page = store.scan(rest.get(), ts, limit - rows.size(), direction);
            rows.addAll(page.rows());
            rest = page.remainder(rest.get(), direction);
        }
        return rows;
    }

    private static String describe(ReadCheck check) {
        return switch (check.getTargetCase()) {
            case KEY -> "key " + Keys.describe(check.getKey());
            case RANGE -> "range " + Mutations.span(check.getRange()) + (check.getReverse() ? " reversed" : "")
                    + " limit " + check.getLimit();
            case TARGET_NOT_SET -> "no target";
        };
    }
}
