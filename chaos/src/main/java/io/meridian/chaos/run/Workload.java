package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.Outcome;
import io.meridian.client.MeridianClient;
import java.util.List;
import java.util.Random;

/**
 * One kind of load and the properties its history must have. Implementations are
 * thread-safe: many clients call {@link #next} and {@link #run} at once.
 */
public interface Workload {

    /** The workloads {@link #named} knows. */
    List<String> NAMES = List.of("bank", "list-append", "register", "stale-read");

    /**
     * The workload called {@code name} (one of {@link #NAMES}) with its default keys and size:
     * 8 accounts of 100, 5 lists, 3 registers, 3 keys read stale.
     */
    static Workload named(String name) {
        return switch (name) {
            case "bank" -> new BankWorkload(8, 100);
            case "list-append" -> new ListAppendWorkload(ListAppendWorkload.PREFIX, 5);
            case "register" -> new RegisterWorkload(RegisterWorkload.PREFIX, 3);
            case "stale-read" -> new StaleReadWorkload(StaleReadWorkload.PREFIX, 3);
            default -> throw new IllegalArgumentException("unknown workload " + name + "; known: " + NAMES);
        };
    }

    /** What a finished operation did: its outcome and its action with what it observed. */
    record Done(Outcome outcome, Action action) {
    }

    /** The workload's name, e.g. {@code bank}. */
    String name();

    /**
     * Creates the initial data (before any client runs); may retry until the cluster serves.
     * By default there is none: the workload's keys start absent.
     */
    default void setUp(MeridianClient client) {
    }

    /** What client {@code process} does next, chosen with {@code random}; observed values left empty. */
    Action next(int process, Random random);

    /**
     * Runs {@code planned} and says how it ended. Failures are outcomes, never exceptions; see
     * {@link Outcomes}.
     */
    Done run(MeridianClient client, Action planned);

    /** The checkers for this workload's histories. */
    List<Checker> checkers();

    /** Keys to split the keyspace at, ascending, so that operations cross ranges (and groups). */
    List<String> splitKeys();
}
