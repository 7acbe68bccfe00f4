package io.meridian.bench.load;

import io.meridian.bench.load.Workload.Op;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run against a {@link Target}: loads the records (or bank accounts), runs the
 * clients for the warm-up and the measured duration, prints a progress line every second, and
 * returns what it measured. Every client stops by itself at the end; nothing runs afterwards.
 */
final class LoadRun {

    /** Each bank account starts with this balance. */
    static final long OPENING_BALANCE = 1_000;
    /** Records written per load batch. */
    private static final int LOAD_BATCH = 100;
    /** A client pauses this long after a failed operation, so a down store is not spun on. */
    private static final long FAILURE_PAUSE_MILLIS = 10;

    /** One second of the measured run. */
    record Tick(int second, long operationsPerSecond, double p50Millis, double p99Millis) {
    }

    /**
     * What a run measured.
     *
     * @param stats        latencies, attempts and errors
     * @param measuredNanos how long the measured phase lasted
     * @param timeline     one entry per measured second
     * @param bankTotal    for bank: the sum of the balances after the run
     */
    record Result(LoadStats stats, long measuredNanos, List<Tick> timeline, OptionalLong bankTotal) {

        double throughput() {
            return stats.total().getTotalCount() * 1e9 / measuredNanos;
        }
    }

    private final LoadOptions options;
    private final Target target;
    private final PrintStream progress;
    private final byte[] value;
    private final KeyChooser chooser;
    private final AtomicLong nextInsert;
    private final LoadStats stats = new LoadStats();
    private final LongAdder warmupOps = new LongAdder();

    LoadRun(LoadOptions options, Target target, PrintStream progress) {
        this.options = options;
        this.target = target;
        this.progress = progress;
        this.value = new byte[options.valueSize()];
        new SplittableRandom(options.seed()).nextBytes(value);
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + Math.floorMod(value[i], 26));
        }
        this.chooser = options.workload().chooser(options.records());
        this.nextInsert = new AtomicLong(options.records());
    }

    Result run() throws InterruptedException {
        target.check(options.workload());
        if (options.load()) {
            load();
        }
        long start = System.nanoTime();
        long measureFrom = start + options.warmup().toNanos();
        long end = measureFrom + options.duration().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            SplittableRandom random = new SplittableRandom(options.seed() * 1_000_003L + c);
            clients.add(Thread.ofPlatform().name("load-client-" + c).start(() -> clientLoop(random, measureFrom, end)));
        }
        List<Tick> timeline = report(start, measureFrom, end);
        for (Thread client : clients) {
            client.join();
        }
        stats.interval();
        OptionalLong bankTotal = options.workload().name().equals("bank")
                ? OptionalLong.of(target.total(accounts())) : OptionalLong.empty();
        return new Result(stats, end - measureFrom, timeline, bankTotal);
    }

    /** Writes every record (or account) in batches of one prefix each, from several threads. */
    private void load() throws InterruptedException {
        boolean bank = options.workload().name().equals("bank");
        byte[] opening = Long.toString(OPENING_BALANCE).getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        ExecutorService loaders = Executors.newFixedThreadPool(Math.min(options.clients(), 16));
        try {
            List<Future<?>> batches = new ArrayList<>();
            int groups = options.groups();
            for (int g = 0; g < groups; g++) {
                List<String> batch = new ArrayList<>();
                for (long i = g; i < options.records(); i += groups) {
                    batch.add(bank ? Keys.account(i, groups) : Keys.record(i, groups));
                    if (batch.size() == LOAD_BATCH) {
                        List<String> keys = batch;
                        batches.add(loaders.submit(() -> target.load(keys, bank ? opening : value)));
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    List<String> keys = batch;
                    batches.add(loaders.submit(() -> target.load(keys, bank ? opening : value)));
                }
            }
            for (Future<?> batch : batches) {
                try {
                    batch.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("loading the records failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            loaders.shutdownNow();
            loaders.awaitTermination(30, TimeUnit.SECONDS);
        }
        progress.printf(Locale.ROOT, "loaded %,d %s in %.1f s%n", options.records(), bank ? "accounts" : "records",
                (System.nanoTime() - started) / 1e9);
    }

    private List<String> accounts() {
        List<String> accounts = new ArrayList<>();
        for (long i = 0; i < options.records(); i++) {
            accounts.add(Keys.account(i, options.groups()));
        }
        return accounts;
    }

    private void clientLoop(SplittableRandom random, long measureFrom, long end) {
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return;
            }
            Op op = options.workload().next(random);
            boolean measured = now - measureFrom >= 0;
            try {
                int tries = execute(op, random);
                if (measured) {
                    stats.succeeded(op, System.nanoTime() - now, tries);
                } else {
                    warmupOps.increment();
                }
            } catch (RuntimeException e) {
                if (measured) {
                    stats.failed(op, e);
                }
                try {
                    Thread.sleep(FAILURE_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs one operation; the attempts it took. */
    private int execute(Op op, SplittableRandom random) {
        int groups = options.groups();
        switch (op) {
            case READ -> target.read(Keys.record(chooser.next(random), groups));
            case UPDATE -> target.write(Keys.record(chooser.next(random), groups), value);
            case INSERT -> target.write(Keys.record(nextInsert.getAndIncrement(), groups), value);
            case SCAN -> {
                long first = chooser.next(random);
                target.scan(Keys.record(first, groups), Keys.prefixEnd(Keys.prefix(Keys.group(first, groups))),
                        1 + random.nextInt(Workload.SCAN_LENGTH_MAX));
            }
            case READ_MODIFY_WRITE -> {
                return target.readModifyWrite(Keys.record(chooser.next(random), groups), value);
            }
            case TRANSFER -> {
                long from = random.nextLong(options.records());
                long to = (from + 1 + random.nextLong(options.records() - 1)) % options.records();
                return target.transfer(Keys.account(from, groups), Keys.account(to, groups), 1 + random.nextInt(10));
            }
        }
        return 1;
    }

    /** Prints a progress line every second until {@code end}; the measured seconds' figures. */
    private List<Tick> report(long start, long measureFrom, long end) throws InterruptedException {
        long total = options.warmup().plus(options.duration()).toSeconds();
        for (long due = start + 1_000_000_000L; due - measureFrom <= 0; due += 1_000_000_000L) {
            sleepUntil(due);
            progress.printf(Locale.ROOT, "[%3d/%d s] warming up: %,d ops%n", (due - start) / 1_000_000_000L, total,
                    warmupOps.sum());
        }
        List<Tick> timeline = new ArrayList<>();
        long tickStart = measureFrom;
        while (tickStart - end < 0) {
            long due = Math.min(tickStart + 1_000_000_000L, end);
            sleepUntil(due);
            Histogram last = stats.interval();
            double seconds = (System.nanoTime() - tickStart) / 1e9;
            Tick tick = new Tick(timeline.size() + 1, Math.round(last.getTotalCount() / seconds),
                    millis(last.getValueAtPercentile(50)), millis(last.getValueAtPercentile(99)));
            timeline.add(tick);
            long attempts = stats.attempts();
            progress.printf(Locale.ROOT, "[%3d/%d s] %,8d ops/s  p50 %7.2f ms  p99 %7.2f ms  aborted %5.1f %%  "
                    + "errors %,d%n", (due - start + 999_999_999L) / 1_000_000_000L, total, tick.operationsPerSecond(),
                    tick.p50Millis(), tick.p99Millis(),
                    attempts == 0 ? 0.0 : 100.0 * stats.abortedAttempts() / attempts, stats.errorCount());
            tickStart = due;
        }
        return timeline;
    }

    private static void sleepUntil(long dueNanos) throws InterruptedException {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    static double millis(long micros) {
        return micros / 1_000.0;
    }
}
