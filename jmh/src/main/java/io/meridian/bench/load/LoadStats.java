package io.meridian.bench.load;

import io.meridian.bench.load.Workload.Op;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a load run measured: per operation kind, an HdrHistogram of latencies in microseconds
 * (client threads record into a {@link Recorder}; the reporting thread takes one interval at a
 * time with {@link #interval()} and adds it to the totals), attempts and aborted attempts of
 * transactions, and errors by kind. The run records only operations of its measured phase.
 *
 * <p>Recording is thread-safe; {@link #interval()} and the totals belong to one reporting thread.
 */
final class LoadStats {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Map<Op, Recorder> recorders = new EnumMap<>(Op.class);
    private final Map<Op, Histogram> totals = new EnumMap<>(Op.class);
    private final LongAdder attempts = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    LoadStats() {
        for (Op op : Op.values()) {
            recorders.put(op, new Recorder(SIGNIFICANT_DIGITS));
            totals.put(op, new Histogram(SIGNIFICANT_DIGITS));
        }
    }

    /** An operation that succeeded after {@code nanos}, in {@code tries} attempts (1 unless a transaction retried). */
    void succeeded(Op op, long nanos, int tries) {
        recorders.get(op).recordValue(Math.max(1, nanos / 1_000));
        attempts.add(tries);
        aborted.add(tries - 1L);
    }

    /** An operation that failed with {@code error}. */
    void failed(Op op, Throwable error) {
        attempts.increment();
        errors.computeIfAbsent(op.label() + ": " + error.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }

    /** The operations recorded since the last call, all kinds together; added to the totals. */
    Histogram interval() {
        Histogram all = new Histogram(SIGNIFICANT_DIGITS);
        for (Op op : Op.values()) {
            Histogram part = recorders.get(op).getIntervalHistogram();
            totals.get(op).add(part);
            all.add(part);
        }
        return all;
    }

    /** Everything recorded for {@code op} up to the last {@link #interval()}. */
    Histogram total(Op op) {
        return totals.get(op);
    }

    /** Every kind together, up to the last {@link #interval()}. */
    Histogram total() {
        Histogram all = new Histogram(SIGNIFICANT_DIGITS);
        totals.values().forEach(all::add);
        return all;
    }

    long attempts() {
        return attempts.sum();
    }

    long abortedAttempts() {
        return aborted.sum();
    }

    /** Failed operations by {@code "op: exception"}, sorted. */
    Map<String, Long> errors() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((kind, count) -> sorted.put(kind, count.sum()));
        return sorted;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
