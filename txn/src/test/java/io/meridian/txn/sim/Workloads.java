package io.meridian.txn.sim;

import com.google.protobuf.ByteString;
import io.meridian.groups.ReadResult;
import io.meridian.storage.Version;
import io.meridian.txn.TxnAbortedException;
import io.meridian.txn.TxnAmbiguousException;
import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The clients of a run and what they share: the history they record, the attempts still open,
 * unique list elements, and the guard that turns a client's own exception (a bug in the test,
 * or a broken contract) into a visible violation instead of a silently failed future.
 *
 * <p>Retries follow DESIGN.md: only an aborted attempt is retried, with the same priority; an
 * ambiguous commit is recorded as such and never retried.
 */
final class Workloads {

    /** Attempts per logical transaction before the client gives up on it. */
    static final int ATTEMPTS_MAX = 30;

    final SimWorld world;
    final History history = new History();
    private final Map<String, Recorder> open = new LinkedHashMap<>();
    private final List<Client> clients = new ArrayList<>();
    private final Map<String, Integer> tally = new TreeMap<>();
    private long nextElement = 1;

    /** A client: starts logical transactions until told to stop, and says when it is idle. */
    interface Client {
        void start(long stopMicros);

        boolean idle();
    }

    Workloads(SimWorld world) {
        this.world = world;
    }

    void add(Client client) {
        clients.add(client);
    }

    void start(long stopMicros) {
        clients.forEach(client -> client.start(stopMicros));
    }

    boolean idle() {
        return clients.stream().allMatch(Client::idle);
    }

    /** A fresh list element, unique in the run. */
    long nextElement() {
        return nextElement++;
    }

    void count(String what) {
        tally.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> tally() {
        return Map.copyOf(tally);
    }

    /** Records every attempt still open as unfinished. */
    void closeOpenAttempts() {
        for (Recorder recorder : List.copyOf(open.values())) {
            recorder.finish(new Outcome.Unfinished(), Long.MAX_VALUE);
        }
    }

    /** Runs {@code step}; an exception from it becomes a violation. */
    void guard(String who, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            world.violations.add(new Violation(HistoryChecks.WORLD, who + " failed: " + e));
        }
    }

    /** Opens the record of an attempt. */
    Recorder open(String tag, String txn, long priorityMicros, String gateway) {
        Recorder recorder = new Recorder(tag, txn, priorityMicros, gateway, world.nowMicros());
        open.put(tag, recorder);
        return recorder;
    }

    /** One attempt being recorded. */
    final class Recorder {
        final String tag;
        private final String txn;
        private final long priorityMicros;
        private final String gateway;
        private final long startMicros;
        private final List<KeyRead> reads = new ArrayList<>();
        private final Set<String> asked = new LinkedHashSet<>();
        private List<Write> writes = List.of();
        private boolean finished;

        Recorder(String tag, String txn, long priorityMicros, String gateway, long startMicros) {
            this.tag = tag;
            this.txn = txn;
            this.priorityMicros = priorityMicros;
            this.gateway = gateway;
            this.startMicros = startMicros;
        }

        void asked(List<String> keys) {
            asked.addAll(keys);
        }

        /** Records what a locking read of {@code keys} returned; returns it by key. */
        Map<String, KeyRead> answered(List<String> keys, ReadResult result) {
            Map<String, KeyRead> byKey = readsOf(keys, result);
            for (KeyRead read : byKey.values()) {
                asked.remove(read.key());
                reads.add(read);
            }
            return byKey;
        }

        void writes(List<Write> intended) {
            writes = List.copyOf(intended);
        }

        void finish(Outcome outcome) {
            finish(outcome, world.nowMicros());
        }

        void finish(Outcome outcome, long endMicros) {
            if (finished) {
                return;
            }
            finished = true;
            open.remove(tag);
            count(outcome instanceof Outcome.Aborted aborted ? "aborted " + aborted.reason()
                    : outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
            history.add(new RwAttempt(tag, txn, priorityMicros, gateway, startMicros, endMicros, reads,
                    List.copyOf(asked), writes, outcome));
        }

        /**
         * Records how a commit (or a read that ended the attempt) failed, and says whether the
         * transaction may be retried: only an abort may.
         */
        boolean failed(Throwable failure, boolean commitStep) {
            Throwable cause = unwrap(failure);
            if (cause instanceof TxnAbortedException aborted) {
                finish(new Outcome.Aborted(aborted.reason()));
                return true;
            }
            if (!commitStep) {
                finish(new Outcome.Abandoned(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                return false;
            }
            if (!(cause instanceof TxnAmbiguousException)) {
                world.violations.add(new Violation(HistoryChecks.WORLD, tag + ": commit failed with " + cause
                        + ", neither TxnAbortedException nor TxnAmbiguousException"));
            }
            finish(new Outcome.Ambiguous(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            return false;
        }
    }

    /** What a read returned for each key asked, absent keys included, in the order asked. */
    static Map<String, KeyRead> readsOf(List<String> keys, ReadResult result) {
        Map<String, Version> rows = new HashMap<>();
        for (Version row : result.rows()) {
            rows.put(TaggedValue.text(row.key()), row);
        }
        Map<String, KeyRead> byKey = new LinkedHashMap<>();
        for (String key : keys) {
            Version row = rows.get(key);
            byKey.put(key, row == null ? KeyRead.absent(key)
                    : KeyRead.of(key, TaggedValue.text(row.value()), row.ts().micros()));
        }
        return byKey;
    }

    static List<ByteString> bytes(List<String> keys) {
        return keys.stream().map(TaggedValue::bytes).toList();
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A callback that runs under {@link #guard}. */
    <T> Consumer<T> guarded(String who, Consumer<T> step) {
        return value -> guard(who, () -> step.accept(value));
    }
}
