package io.meridian.server.gateway;

import io.meridian.truetime.Timestamp;
import io.meridian.txn.ReadWriteTxn;
import java.util.Objects;

/**
 * How a read chooses the snapshot it sees, from its transaction selector. Consume with an
 * exhaustive {@code switch}.
 */
public sealed interface Consistency {

    /** A single-use strong read: sees every commit acknowledged before the read began. */
    record Strong() implements Consistency {
    }

    /**
     * Exactly at {@code readTs} ({@code read_timestamp}, {@code exact_staleness}, a read-only
     * transaction), at the nearest replica once its safe time covers it.
     */
    record Exact(Timestamp readTs) implements Consistency {
        public Exact {
            Objects.requireNonNull(readTs, "readTs");
        }
    }

    /**
     * At any timestamp at or above {@code minReadTs} ({@code min_read_timestamp},
     * {@code max_staleness}), at the nearest replica's safe time.
     */
    record Bounded(Timestamp minReadTs) implements Consistency {
        public Bounded {
            Objects.requireNonNull(minReadTs, "minReadTs");
        }
    }

    /**
     * A read of a read-write transaction: shared locks and the latest data at each leader.
     */
    record Locking(ReadWriteTxn txn) implements Consistency {
        public Locking {
            Objects.requireNonNull(txn, "txn");
        }
    }
}
