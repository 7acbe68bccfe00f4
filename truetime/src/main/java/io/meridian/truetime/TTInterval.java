package io.meridian.truetime;

/**
 * A TrueTime answer: true time was, at the moment of the call, somewhere in
 * {@code [earliest, latest]} (microseconds since the epoch, both ends included).
 *
 * <p>{@link #UNBOUNDED} is the answer of a source that does not know the time at all (for
 * example a {@link TimeMasterSource} that has not yet heard from a majority of its masters):
 * nothing is ever certainly {@link #after} or {@link #before} it, and its ε is so large that
 * every {@link EpsilonFence} fences on it.
 *
 * @param earliestMicros the earliest true time could be; never negative
 * @param latestMicros   the latest true time could be; never below {@code earliestMicros}
 */
public record TTInterval(long earliestMicros, long latestMicros) {

    /** The interval that says nothing: {@code [0, Long.MAX_VALUE]}. */
    public static final TTInterval UNBOUNDED = new TTInterval(0, Long.MAX_VALUE);

    /** Checks {@code 0 <= earliest <= latest}. */
    public TTInterval {
        if (earliestMicros < 0) {
            throw new IllegalArgumentException("interval start must not be negative: " + earliestMicros);
        }
        if (latestMicros < earliestMicros) {
            throw new IllegalArgumentException(
                    "interval end " + latestMicros + " is before its start " + earliestMicros);
        }
    }

    /**
     * The interval {@code [centre - epsilon, centre + epsilon]}.
     *
     * @throws IllegalArgumentException if {@code epsilonMicros} is negative or the interval
     *                                  would start before the epoch
     */
    public static TTInterval around(long centreMicros, long epsilonMicros) {
        if (epsilonMicros < 0) {
            throw new IllegalArgumentException("epsilon must not be negative: " + epsilonMicros);
        }
        return new TTInterval(centreMicros - epsilonMicros, centreMicros + epsilonMicros);
    }

    /** The earliest end as a timestamp. */
    public Timestamp earliest() {
        return new Timestamp(earliestMicros);
    }

    /** The latest end as a timestamp. */
    public Timestamp latest() {
        return new Timestamp(latestMicros);
    }

    /** The width {@code latest - earliest} in microseconds; never negative, never overflows. */
    public long widthMicros() {
        return latestMicros - earliestMicros;
    }

    /** The uncertainty ε: half the interval's width, rounded up, in microseconds. */
    public long epsilonMicros() {
        long width = widthMicros();
        return width / 2 + (width & 1);
    }

    /** True when {@code micros} lies inside the interval, ends included. */
    public boolean contains(long micros) {
        return earliestMicros <= micros && micros <= latestMicros;
    }

    /** True when the two intervals share at least one instant, ends included. */
    public boolean overlaps(TTInterval other) {
        return earliestMicros <= other.latestMicros && other.earliestMicros <= latestMicros;
    }

    /** True when {@code t} is certainly in the past: {@code earliest > t}. */
    public boolean after(Timestamp t) {
        return earliestMicros > t.micros();
    }

    /** True when {@code t} is certainly in the future: {@code latest < t}. */
    public boolean before(Timestamp t) {
        return latestMicros < t.micros();
    }

    @Override
    public String toString() {
        return "[" + earliestMicros + ", " + latestMicros + "]us";
    }
}
