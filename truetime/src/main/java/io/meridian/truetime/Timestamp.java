package io.meridian.truetime;

/**
 * A point in TrueTime: microseconds since the Unix epoch (UTC). Immutable, ordered by
 * {@link #micros()}. Meridian's commit, prepare, read and lease timestamps are all of this type.
 *
 * @param micros microseconds since 1970-01-01T00:00:00Z; never negative
 */
public record Timestamp(long micros) implements Comparable<Timestamp> {

    /** The smallest timestamp; reads at it see nothing that was ever written. */
    public static final Timestamp MIN = new Timestamp(0);

    /** The largest timestamp; a read at it sees the newest version of every key. */
    public static final Timestamp MAX = new Timestamp(Long.MAX_VALUE);

    /** Checks that {@code micros} is not negative. */
    public Timestamp {
        if (micros < 0) {
            throw new IllegalArgumentException("timestamp must not be negative: " + micros);
        }
    }

    /** Returns the timestamp {@code micros} microseconds since the epoch. */
    public static Timestamp ofMicros(long micros) {
        return new Timestamp(micros);
    }

    /** True when this timestamp is strictly earlier than {@code other}. */
    public boolean isBefore(Timestamp other) {
        return micros < other.micros;
    }

    /** True when this timestamp is strictly later than {@code other}. */
    public boolean isAfter(Timestamp other) {
        return micros > other.micros;
    }

    /** The next timestamp, one microsecond later. */
    public Timestamp next() {
        return new Timestamp(Math.addExact(micros, 1));
    }

    /** The previous timestamp, one microsecond earlier; {@link #MIN} has none. */
    public Timestamp previous() {
        return new Timestamp(micros - 1);
    }

    /** The later of two timestamps. */
    public static Timestamp max(Timestamp a, Timestamp b) {
        return a.micros >= b.micros ? a : b;
    }

    /** The earlier of two timestamps. */
    public static Timestamp min(Timestamp a, Timestamp b) {
        return a.micros <= b.micros ? a : b;
    }

    @Override
    public int compareTo(Timestamp other) {
        return Long.compare(micros, other.micros);
    }

    @Override
    public String toString() {
        return micros + "us";
    }
}
