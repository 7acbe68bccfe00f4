package io.meridian.truetime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Marzullo's interval-agreement algorithm, in the form that tolerates any minority of liars.
 * Pure: intervals in, an {@link Result} out; no time, no state, thread-safe.
 *
 * <p>Every source claims an interval that contains true time. If a strict majority of the
 * configured sources are honest, true time is covered by at least a majority of the claims, so
 * it lies in the set of points covered by a majority. The agreed interval is the smallest
 * interval containing that set: from the first point where coverage reaches a majority to the
 * last point where it still has one. Classic Marzullo returns only the region of <em>highest</em>
 * coverage; that is narrower but can miss true time when a colluding minority overlaps some
 * honest sources (or when two regions tie), so Meridian does not use it.
 *
 * <p>A source is <em>rejected</em> when its interval touches no majority-covered point: if the
 * majority assumption holds, it cannot contain true time. When no point is covered by a strict
 * majority of {@code sourceCount}, the result is {@link NoMajority}. Intervals are closed, so
 * two intervals that touch at one endpoint agree on that instant.
 */
public final class Marzullo {

    private Marzullo() {
    }

    /** The outcome of an agreement: exactly one of {@link Agreed} or {@link NoMajority}. */
    public sealed interface Result permits Agreed, NoMajority {

        /** The largest number of sources whose intervals share a common instant. */
        int largestAgreement();

        /** How many sources were configured, answering or not. */
        int sourceCount();
    }

    /**
     * A strict majority of sources agree.
     *
     * @param interval         the smallest interval holding every instant a majority agrees on
     * @param largestAgreement the largest number of sources sharing one instant
     * @param sourceCount      how many sources were configured
     * @param rejected         the answering sources that share no majority instant (liars, if
     *                         the majority is honest), in input order
     */
    public record Agreed(TTInterval interval, int largestAgreement, int sourceCount, List<String> rejected)
            implements Result {

        /** Copies {@code rejected}. */
        public Agreed {
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * No instant is claimed by a strict majority of the sources: the time is unknown.
     *
     * @param largestAgreement the largest number of sources sharing one instant
     * @param required         how many would have been needed: {@code sourceCount / 2 + 1}
     * @param sourceCount      how many sources were configured
     */
    public record NoMajority(int largestAgreement, int required, int sourceCount) implements Result {
    }

    /** Agreement among exactly the given readings (every source answered). */
    public static Result agree(List<MasterReading> readings) {
        return agree(readings, readings.size());
    }

    /**
     * Agreement among {@code sourceCount} configured sources, of which only {@code readings}
     * answered; silent sources count towards the majority threshold but agree with nothing.
     *
     * @throws IllegalArgumentException if {@code sourceCount} is below one or below the number
     *                                  of readings
     */
    public static Result agree(List<MasterReading> readings, int sourceCount) {
        int n = readings.size();
        if (sourceCount < 1 || sourceCount < n) {
            throw new IllegalArgumentException(
                    "sourceCount " + sourceCount + " must be at least 1 and at least the " + n + " readings");
        }
        int required = sourceCount / 2 + 1;
        long[] starts = new long[n];
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = readings.get(i).interval().earliestMicros();
            ends[i] = readings.get(i).interval().latestMicros();
        }
        Arrays.sort(starts);
        Arrays.sort(ends);

        // Sweep the endpoints left to right. On a tie a start goes first, because closed
        // intervals that touch share that instant. Coverage moves by one at each endpoint, so
        // majority-covered segments begin where it climbs to `required` and end where it leaves.
        List<long[]> segments = new ArrayList<>();
        int coverage = 0;
        int largest = 0;
        long segmentStart = 0;
        int s = 0;
        int e = 0;
        while (e < n) {
            if (s < n && starts[s] <= ends[e]) {
                coverage++;
                largest = Math.max(largest, coverage);
                if (coverage == required) {
                    segmentStart = starts[s];
                }
                s++;
            } else {
                if (coverage == required) {
                    segments.add(new long[] {segmentStart, ends[e]});
                }
                coverage--;
                e++;
            }
        }
        if (segments.isEmpty()) {
            return new NoMajority(largest, required, sourceCount);
        }
        TTInterval agreed = new TTInterval(segments.get(0)[0], segments.get(segments.size() - 1)[1]);
        return new Agreed(agreed, largest, sourceCount, rejected(readings, segments));
    }

    private static List<String> rejected(List<MasterReading> readings, List<long[]> segments) {
        List<String> rejected = new ArrayList<>();
        for (MasterReading reading : readings) {
            TTInterval claim = reading.interval();
            boolean touchesMajority = false;
            for (long[] segment : segments) {
                if (claim.earliestMicros() <= segment[1] && segment[0] <= claim.latestMicros()) {
                    touchesMajority = true;
                    break;
                }
            }
            if (!touchesMajority) {
                rejected.add(reading.masterId());
            }
        }
        return rejected;
    }
}
