package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.Outcome;
import io.meridian.chaos.history.RegisterChecker;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * register: single-key registers read by strong single-use reads, written by blind writes
 * and compared-and-set in read-write transactions, with values from a small range so that
 * compare-and-set often matches. Each key's history must be linearizable
 * ({@link RegisterChecker}); a compare-and-set that found another value took no effect and is
 * recorded {@code FAIL}.
 */
public final class RegisterWorkload implements Workload {

    /** The default key prefix of the registers: {@code reg/0}, {@code reg/1}, … */
    public static final String PREFIX = "reg/";
    private static final int VALUES = 5;

    private final String prefix;
    private final int keyCount;

    /**
     * @param prefix   the registers' key prefix; a run needs registers no earlier run touched,
     *     since the checker assumes they start absent
     * @param keyCount how many registers, at least 1
     */
    public RegisterWorkload(String prefix, int keyCount) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("register needs a key: " + keyCount);
        }
        this.prefix = prefix;
        this.keyCount = keyCount;
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public Action next(int process, Random random) {
        String key = prefix + random.nextInt(keyCount);
        return switch (random.nextInt(3)) {
            case 0 -> new Action.RegisterRead(key, null);
            case 1 -> new Action.RegisterWrite(key, random.nextInt(VALUES));
            default -> new Action.RegisterCas(key, random.nextInt(VALUES), random.nextInt(VALUES));
        };
    }

    @Override
    public Done run(MeridianClient client, Action planned) {
        try {
            return switch (planned) {
                case Action.RegisterRead read -> new Done(Outcome.OK, new Action.RegisterRead(read.key(),
                        client.singleUse().get(read.key()).map(row -> Long.parseLong(row.valueUtf8())).orElse(null)));
                case Action.RegisterWrite write -> {
                    client.write(Mutation.put(write.key(), Long.toString(write.value())));
                    yield new Done(Outcome.OK, write);
                }
                case Action.RegisterCas cas -> new Done(compareAndSet(client, cas) ? Outcome.OK : Outcome.FAIL, cas);
                default -> throw new IllegalArgumentException("not a register action: " + planned);
            };
        } catch (RuntimeException e) {
            boolean read = planned instanceof Action.RegisterRead;
            Outcome outcome = read ? Outcomes.ofRead(e) : Outcomes.ofWrite(e);
            Action action = read ? new Action.RegisterRead(((Action.RegisterRead) planned).key(), null) : planned;
            if (Outcomes.unexpected(e)) {
                throw new UnexpectedFailure(outcome, action, e);
            }
            return new Done(outcome, action);
        }
    }

    private static boolean compareAndSet(MeridianClient client, Action.RegisterCas cas) {
        return client.readWriteTransaction(txn -> {
            Optional<Long> current = txn.get(cas.key()).map(KeyValue::valueUtf8).map(Long::parseLong);
            if (current.isEmpty() || current.get() != cas.expected()) {
                return false;
            }
            txn.put(cas.key(), Long.toString(cas.next()));
            return true;
        }).value();
    }

    /** Every key but the first starts a range. */
    @Override
    public List<String> splitKeys() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 1; i < keyCount; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    @Override
    public List<Checker> checkers() {
        return List.of(new RegisterChecker());
    }
}
