package io.meridian.bench.load;

import java.util.List;

/**
 * A store the load generator drives. Each method is one measured operation, called from many
 * client threads at once; implementations are thread-safe. Failures are thrown as they come:
 * the generator counts them by class.
 */
public interface Target extends AutoCloseable {

    /** The store's name in reports. */
    String name();

    /** Throws {@link IllegalArgumentException} naming the problem when this store cannot run {@code workload}. */
    void check(Workload workload);

    /** Writes {@code keys} with {@code value}, as one batch where the store allows it; not measured. */
    void load(List<String> keys, byte[] value);

    /** A strong single-key read; whether the key had a value. */
    boolean read(String key);

    /** A blind single-key write. */
    void write(String key, byte[] value);

    /** A strong scan from {@code from} (inclusive) to {@code end} (exclusive) of at most {@code limit} keys; how many it returned. */
    int scan(String from, String end, int limit);

    /** Reads {@code key} and writes {@code value} in one read-write transaction; the attempts it took. */
    int readModifyWrite(String key, byte[] value);

    /**
     * Moves {@code amount} from account {@code from} to {@code to} in one read-write transaction
     * if {@code from} holds that much; the attempts it took.
     */
    int transfer(String from, String to, long amount);

    /** The sum of the accounts' balances, read in one consistent snapshot. */
    long total(List<String> accounts);

    @Override
    void close();
}
