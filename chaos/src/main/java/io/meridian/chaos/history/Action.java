package io.meridian.chaos.history;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operation did, per workload. Observed values (what a read returned) are only
 * meaningful for {@link Outcome#OK} operations; for the others they are {@code null}.
 */
public sealed interface Action {

    /** list-append: one transaction of appends and reads over a small set of keys. */
    record ListTxn(List<MicroOp> ops) implements Action {
        public ListTxn {
            ops = List.copyOf(ops);
        }
    }

    /** One step of a {@link ListTxn}. */
    sealed interface MicroOp {
    }

    /** Appends {@code element} (unique per key across the whole history) to the list at {@code key}. */
    record Append(String key, long element) implements MicroOp {
        public Append {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Reads the list at {@code key}: {@code observed} is the whole list seen (empty if the key
     * was absent), or {@code null} when the operation did not complete OK.
     */
    record ReadList(String key, List<Long> observed) implements MicroOp {
        public ReadList {
            Objects.requireNonNull(key, "key");
            observed = observed == null ? null : List.copyOf(observed);
        }
    }

    /** register: reads {@code key}; {@code observed} is the value, or {@code null} if absent or unknown. */
    record RegisterRead(String key, Long observed) implements Action {
        public RegisterRead {
            Objects.requireNonNull(key, "key");
        }
    }

    /** register: writes {@code value} to {@code key}. */
    record RegisterWrite(String key, long value) implements Action {
        public RegisterWrite {
            Objects.requireNonNull(key, "key");
        }
    }

    /** register: compare-and-set in one transaction: if {@code key} holds {@code expected}, write {@code next}. OK only if it did. */
    record RegisterCas(String key, long expected, long next) implements Action {
        public RegisterCas {
            Objects.requireNonNull(key, "key");
        }
    }

    /** bank: moves {@code amount} from one account to another in one read-write transaction. */
    record Transfer(String from, String to, long amount) implements Action {
        public Transfer {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * bank: reads every account in one read-only transaction; {@code balances} (account →
     * balance; accounts absent from the map were absent) and the snapshot's timestamp, or
     * {@code null} and 0 when the operation did not complete OK.
     */
    record BankRead(Map<String, Long> balances, long readTimestampMicros) implements Action {
        public BankRead {
            balances = balances == null ? null : Map.copyOf(balances);
        }
    }

    /**
     * stale-read: a blind write of {@code value} (unique in the run) to {@code key};
     * {@code commitTimestampMicros} is the commit timestamp, or 0 when the write did not
     * complete OK.
     */
    record TimedWrite(String key, long value, long commitTimestampMicros) implements Action {
        public TimedWrite {
            Objects.requireNonNull(key, "key");
        }
    }

    /** How a {@link TimedRead} chose its timestamp. */
    enum ReadBound {
        /** Any timestamp no older than {@code boundMicros} before the read (bounded staleness). */
        MAX_STALENESS,
        /** Exactly {@code boundMicros} before the read (exact staleness). */
        EXACT_STALENESS,
        /** At the timestamp {@code boundMicros} itself (a snapshot read at a given timestamp). */
        AT_TIMESTAMP
    }

    /**
     * stale-read: a single-use read of {@code key} under {@code bound} and {@code boundMicros},
     * invoked when the harness's wall clock read {@code invokedAtMicros} and completed at
     * {@code completedAtMicros}; {@code observed} is the value read ({@code null} if absent) and
     * {@code readTimestampMicros} the timestamp the read reported, or 0 when it did not
     * complete OK.
     */
    record TimedRead(String key, ReadBound bound, long boundMicros, long invokedAtMicros, long completedAtMicros,
            Long observed, long readTimestampMicros) implements Action {
        public TimedRead {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(bound, "bound");
        }
    }
}
