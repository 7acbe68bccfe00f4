package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.ListAppendChecker;
import io.meridian.chaos.history.Outcome;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * list-append (Elle's workload): transactions of 1 to 4 steps over a small set of hot keys,
 * each step an append of a unique element to a key's list or a read of the whole list. A list
 * is stored as its elements joined by commas; an append reads it and writes it back longer,
 * inside the read-write transaction. The history's dependency graph must be acyclic
 * ({@link ListAppendChecker}).
 */
public final class ListAppendWorkload implements Workload {

    /** The default key prefix of the lists: {@code la/0}, {@code la/1}, … */
    public static final String PREFIX = "la/";
    private static final int STEPS_MAX = 4;

    private final String prefix;
    private final int keyCount;
    private final AtomicLong nextElement = new AtomicLong(1);

    /**
     * @param prefix   the lists' key prefix; a run needs lists no earlier run touched, since the
     *     checker assumes they start empty
     * @param keyCount how many lists, at least 1 (few keys: much contention)
     */
    public ListAppendWorkload(String prefix, int keyCount) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("list-append needs a key: " + keyCount);
        }
        this.prefix = prefix;
        this.keyCount = keyCount;
    }

    /** The key of list {@code i}. */
    public String key(int i) {
        return prefix + i;
    }

    @Override
    public String name() {
        return "list-append";
    }

    @Override
    public Action next(int process, Random random) {
        int steps = 1 + random.nextInt(STEPS_MAX);
        List<Action.MicroOp> ops = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            String key = key(random.nextInt(keyCount));
            ops.add(random.nextBoolean() ? new Action.Append(key, nextElement.getAndIncrement())
                    : new Action.ReadList(key, null));
        }
        return new Action.ListTxn(ops);
    }

    @Override
    public Done run(MeridianClient client, Action planned) {
        if (!(planned instanceof Action.ListTxn txn)) {
            throw new IllegalArgumentException("not a list-append action: " + planned);
        }
        try {
            List<Action.MicroOp> observed = client.readWriteTransaction(context -> {
                List<Action.MicroOp> done = new ArrayList<>();
                // Writes are buffered until commit, so this transaction's own appends are kept here.
                java.util.Map<String, List<Long>> lists = new java.util.HashMap<>();
                for (Action.MicroOp op : txn.ops()) {
                    String key = switch (op) {
                        case Action.Append append -> append.key();
                        case Action.ReadList read -> read.key();
                    };
                    List<Long> list = lists.computeIfAbsent(key,
                            k -> new ArrayList<>(parse(context.get(k).map(KeyValue::valueUtf8).orElse(""))));
                    switch (op) {
                        case Action.Append append -> {
                            list.add(append.element());
                            context.put(key, join(list));
                            done.add(append);
                        }
                        case Action.ReadList read -> done.add(new Action.ReadList(key, List.copyOf(list)));
                    }
                }
                return done;
            }).value();
            return new Done(Outcome.OK, new Action.ListTxn(observed));
        } catch (RuntimeException e) {
            if (Outcomes.unexpected(e)) {
                throw new UnexpectedFailure(Outcomes.ofWrite(e), txn, e);
            }
            return new Done(Outcomes.ofWrite(e), txn);
        }
    }

    private static List<Long> parse(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(Long::parseLong).toList();
    }

    private static String join(List<Long> list) {
        return String.join(",", list.stream().map(String::valueOf).toList());
    }

    /** Every key but the first starts a range. */
    @Override
    public List<String> splitKeys() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 1; i < keyCount; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    @Override
    public List<Checker> checkers() {
        return List.of(new ListAppendChecker());
    }
}
