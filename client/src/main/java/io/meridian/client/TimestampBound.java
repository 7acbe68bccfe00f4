package io.meridian.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Which snapshot a read-only transaction or a single-use read sees. Strong reads see every
 * transaction committed before the read began; the other bounds trade freshness for latency
 * (they may be served by the nearest caught-up replica). Immutable.
 */
public sealed interface TimestampBound {

    /** Sees every transaction committed before the read started (external consistency). */
    static TimestampBound strong() {
        return Strong.INSTANCE;
    }

    /** Reads exactly at {@code timestamp}; may wait until a replica has caught up to it. */
    static TimestampBound readTimestamp(Timestamp timestamp) {
        return new ReadTimestamp(timestamp);
    }

    /** Reads at {@code timestamp} or later, at whatever the nearest caught-up replica serves. */
    static TimestampBound minReadTimestamp(Timestamp timestamp) {
        return new MinReadTimestamp(timestamp);
    }

    /** Reads exactly {@code staleness} before now. */
    static TimestampBound exactStaleness(Duration staleness) {
        return new ExactStaleness(staleness);
    }

    /** Reads at any timestamp no older than {@code staleness} before now. */
    static TimestampBound maxStaleness(Duration staleness) {
        return new MaxStaleness(staleness);
    }

    /** The strong bound; see {@link TimestampBound#strong()}. */
    enum Strong implements TimestampBound {
        /** The one strong bound. */
        INSTANCE;

        @Override
        public String toString() {
            return "strong";
        }
    }

    /**
     * An exact read timestamp; see {@link TimestampBound#readTimestamp(Timestamp)}.
     *
     * @param timestamp the snapshot to read
     */
    record ReadTimestamp(Timestamp timestamp) implements TimestampBound {

        /**
         * Checks the components.
         *
         * @throws NullPointerException if the timestamp is null
         */
        public ReadTimestamp {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * A lower bound on the read timestamp; see {@link TimestampBound#minReadTimestamp(Timestamp)}.
     *
     * @param timestamp the oldest acceptable snapshot
     */
    record MinReadTimestamp(Timestamp timestamp) implements TimestampBound {

        /**
         * Checks the components.
         *
         * @throws NullPointerException if the timestamp is null
         */
        public MinReadTimestamp {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * An exact staleness; see {@link TimestampBound#exactStaleness(Duration)}.
     *
     * @param staleness how far before now to read, not negative, whole microseconds count
     */
    record ExactStaleness(Duration staleness) implements TimestampBound {

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if the staleness is negative
         */
        public ExactStaleness {
            checkStaleness(staleness);
        }
    }

    /**
     * A maximum staleness; see {@link TimestampBound#maxStaleness(Duration)}.
     *
     * @param staleness the most the snapshot may lag now, not negative
     */
    record MaxStaleness(Duration staleness) implements TimestampBound {

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if the staleness is negative
         */
        public MaxStaleness {
            checkStaleness(staleness);
        }
    }

    private static void checkStaleness(Duration staleness) {
        Objects.requireNonNull(staleness, "staleness");
        if (staleness.isNegative()) {
            throw new IllegalArgumentException("a staleness is not negative: " + staleness);
        }
    }
}
