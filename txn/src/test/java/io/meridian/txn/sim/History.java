package io.meridian.txn.sim;

import io.meridian.txn.AbortReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the clients of a simulated run did and saw, in the simulator's true time: every attempt
 * of a read-write transaction and every lock-free snapshot read. Workloads append to it as their
 * futures complete; checkers read it afterwards. Values are strings ({@link TaggedValue}),
 * keys are strings: histories are small and easy to write by hand in tests.
 *
 * <p>Not thread-safe: the simulation's one thread fills it.
 */
final class History {

    /** A version as a read returned it: its value and commit timestamp. */
    record Observed(String value, long tsMicros) {
        Observed {
            Objects.requireNonNull(value, "value");
        }
    }

    /** What one read saw of one key: a version, or nothing (absent or deleted). */
    record KeyRead(String key, Optional<Observed> observed) {
        KeyRead {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(observed, "observed");
        }

        static KeyRead absent(String key) {
            return new KeyRead(key, Optional.empty());
        }

        static KeyRead of(String key, String value, long tsMicros) {
            return new KeyRead(key, Optional.of(new Observed(value, tsMicros)));
        }
    }

    /** A put the transaction asked to commit. */
    record Write(String key, String value) {
    }

    /** How an attempt ended. */
    sealed interface Outcome {
        /** Acknowledged as committed at {@code tsMicros}. */
        record Committed(long tsMicros) implements Outcome {
        }

        /** Definitely not committed: {@code TxnAbortedException(reason)}; the client may retry. */
        record Aborted(AbortReason reason) implements Outcome {
        }

        /** Commit outcome unknown ({@code TxnAmbiguousException}): may or may not have committed. */
        record Ambiguous(String why) implements Outcome {
        }

        /**
         * The client gave up before asking to commit (a read failed other than by abort, or it
         * rolled back): nothing of it may ever be visible.
         */
        record Abandoned(String why) implements Outcome {
        }

        /** Still running when the run ended: a liveness failure. */
        record Unfinished() implements Outcome {
        }
    }

    /**
     * One attempt of a read-write transaction.
     *
     * @param tag unique per attempt; every value the attempt writes carries it
     * @param txn the logical transaction the attempt belongs to (retries share it)
     * @param priorityMicros the attempt's wound-wait priority (lower is older)
     * @param gateway the node whose driver ran it
     * @param startMicros true time of {@code begin}
     * @param endMicros true time the outcome was known ({@link Long#MAX_VALUE} if never)
     * @param reads the locking reads that answered, and what they returned
     * @param unanswered keys of locking reads that got no answer (the attempt aborted or failed
     *     while they waited): the attempt still asked for their locks
     * @param writes what it asked to commit (empty if it never asked)
     * @param outcome how it ended
     */
    record RwAttempt(String tag, String txn, long priorityMicros, String gateway, long startMicros, long endMicros,
            List<KeyRead> reads, List<String> unanswered, List<Write> writes, Outcome outcome) {
        RwAttempt {
            reads = List.copyOf(reads);
            unanswered = List.copyOf(unanswered);
            writes = List.copyOf(writes);
            Objects.requireNonNull(outcome, "outcome");
        }

        /** An attempt whose reads all answered. */
        RwAttempt(String tag, String txn, long priorityMicros, String gateway, long startMicros, long endMicros,
                List<KeyRead> reads, List<Write> writes, Outcome outcome) {
            this(tag, txn, priorityMicros, gateway, startMicros, endMicros, reads, List.of(), writes, outcome);
        }

        /** The commit timestamp, when acknowledged. */
        Optional<Long> committedTs() {
            return outcome instanceof Outcome.Committed committed ? Optional.of(committed.tsMicros()) : Optional.empty();
        }

        /** Every key it read, asked to read or asked to write. */
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            reads.forEach(read -> keys.add(read.key()));
            keys.addAll(unanswered);
            writes.forEach(write -> keys.add(write.key()));
            return keys.stream().distinct().toList();
        }
    }

    /**
     * A lock-free read of several keys at one timestamp: a strong read-only transaction, or a
     * repeat of an earlier one at the same timestamp.
     *
     * @param id unique
     * @param gateway the node whose driver ran it
     * @param startMicros true time it began (before choosing the timestamp)
     * @param endMicros true time its answer came back
     * @param readTsMicros the timestamp it read at
     * @param reads what it saw
     * @param repeatOf the snapshot it repeats, if it is a repeat
     */
    record SnapshotRead(String id, String gateway, long startMicros, long endMicros, long readTsMicros,
            List<KeyRead> reads, Optional<String> repeatOf) {
        SnapshotRead {
            reads = List.copyOf(reads);
            Objects.requireNonNull(repeatOf, "repeatOf");
        }
    }

    private final List<RwAttempt> attempts = new ArrayList<>();
    private final List<SnapshotRead> snapshots = new ArrayList<>();

    void add(RwAttempt attempt) {
        attempts.add(attempt);
    }

    void add(SnapshotRead snapshot) {
        snapshots.add(snapshot);
    }

    /** The attempts in the order they ended. */
    List<RwAttempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The snapshot reads in the order they ended. */
    List<SnapshotRead> snapshots() {
        return List.copyOf(snapshots);
    }
}
