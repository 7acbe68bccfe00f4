package io.meridian.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A point in Meridian's TrueTime: microseconds since the Unix epoch. Every read reports the
 * timestamp it read at and every commit its commit timestamp as one of these; they order
 * transactions (a transaction that committed before another began has the smaller timestamp).
 *
 * @param micros microseconds since 1970-01-01T00:00:00Z, not negative
 */
public record Timestamp(long micros) implements Comparable<Timestamp> {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code micros} is negative
     */
    public Timestamp {
        if (micros < 0) {
            throw new IllegalArgumentException("a timestamp is not negative: " + micros + " micros");
        }
    }

    /** The timestamp {@code micros} microseconds after the Unix epoch. */
    public static Timestamp ofMicros(long micros) {
        return new Timestamp(micros);
    }

    /** The timestamp of {@code instant}, truncated to whole microseconds. */
    public static Timestamp ofInstant(Instant instant) {
        return new Timestamp(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
    }

    /** This timestamp as an {@link Instant}. */
    public Instant toInstant() {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Orders by {@link #micros()}. */
    @Override
    public int compareTo(Timestamp other) {
        return Long.compare(micros, other.micros);
    }

    /** The instant in ISO-8601 with microseconds, followed by the raw micros. */
    @Override
    public String toString() {
        return toInstant() + " (" + micros + ")";
    }

    io.meridian.api.v1.Timestamp toProto() {
        return io.meridian.api.v1.Timestamp.newBuilder().setMicros(micros).build();
    }

    static Timestamp fromProto(io.meridian.api.v1.Timestamp proto) {
        return new Timestamp(proto.getMicros());
    }
}
