package io.meridian.bench.load;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.meridian.bench.cluster.BenchCluster;
import io.meridian.bench.load.Workload.Op;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code bin/meridian bench --workload ...}: the load generator. Drives a store (Meridian
 * through its SDK, or etcd for comparison) with concurrent clients running a YCSB core
 * workload, single-key writes or bank transfers; prints a progress line every second, then
 * per-operation latency percentiles (HdrHistogram), throughput, the abort rate and errors, and
 * optionally writes them as JSON. {@code --local N} starts a fresh local Meridian cluster of
 * {@code N} nodes for the run (fsync on, as every node) and stops it afterwards.
 */
public final class LoadMain {

    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("meridian bench: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(options, System.out) ? 0 : 1);
        } catch (RuntimeException e) {
            System.err.println("meridian bench: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs the load and reports it on {@code out}; whether the run was sound (bank kept its total). */
    static boolean run(LoadOptions options, PrintStream out) throws Exception {
        BenchCluster cluster = null;
        try {
            List<String> endpoints = options.endpoints();
            if (options.local().isPresent()) {
                out.printf("starting a local %d-node Meridian cluster%s...%n", options.local().get(),
                        options.epsilon().map(e -> " with --epsilon " + e).orElse(""));
                cluster = options.epsilon().isPresent()
                        ? BenchCluster.start(options.local().get(), "--epsilon", options.epsilon().get())
                        : BenchCluster.start(options.local().get());
                if (options.groups() > 1) {
                    cluster.spreadOverGroups(options.groups());
                }
                endpoints = cluster.clientAddresses();
            }
            out.printf(Locale.ROOT, "%s %s: %d clients, %s warm-up, %s measured, %,d records of %d bytes over %d "
                    + "prefixes, endpoints %s%n", options.target(), options.workload().name(), options.clients(),
                    options.warmup(), options.duration(), options.records(), options.valueSize(), options.groups(),
                    String.join(",", endpoints));
            try (Target target = options.target().equals("etcd") ? new EtcdTarget(endpoints)
                    : new MeridianTarget(endpoints)) {
                LoadRun.Result result = new LoadRun(options, target, out).run();
                summarize(options, result, out);
                if (options.json().isPresent()) {
                    Files.writeString(options.json().get(), json(options, result));
                    out.println("results written to " + options.json().get());
                }
                if (result.bankTotal().isPresent()) {
                    long expected = options.records() * LoadRun.OPENING_BALANCE;
                    boolean kept = result.bankTotal().getAsLong() == expected;
                    out.printf(Locale.ROOT, "bank total after the run: %,d (expected %,d): %s%n",
                            result.bankTotal().getAsLong(), expected, kept ? "ok" : "VIOLATED");
                    return kept;
                }
                return true;
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static void summarize(LoadOptions options, LoadRun.Result result, PrintStream out) {
        LoadStats stats = result.stats();
        double seconds = result.measuredNanos() / 1e9;
        out.printf(Locale.ROOT, "%n%-18s %10s %10s %9s %9s %9s %9s %9s %9s%n", "operation", "count", "ops/s", "mean ms",
                "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms");
        for (Op op : Op.values()) {
            Histogram h = stats.total(op);
            if (h.getTotalCount() > 0) {
                row(out, op.label(), h, seconds);
            }
        }
        row(out, "all", stats.total(), seconds);
        long attempts = stats.attempts();
        out.printf(Locale.ROOT, "throughput %,.0f ops/s; aborted attempts %,d of %,d (%.2f %%); errors %,d%s%n",
                result.throughput(), stats.abortedAttempts(), attempts,
                attempts == 0 ? 0.0 : 100.0 * stats.abortedAttempts() / attempts, stats.errorCount(),
                stats.errors().isEmpty() ? "" : " " + stats.errors());
    }

    private static void row(PrintStream out, String name, Histogram h, double seconds) {
        out.printf(Locale.ROOT, "%-18s %,10d %,10.0f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", name, h.getTotalCount(),
                h.getTotalCount() / seconds, h.getMean() / 1_000.0, LoadRun.millis(h.getValueAtPercentile(50)),
                LoadRun.millis(h.getValueAtPercentile(95)), LoadRun.millis(h.getValueAtPercentile(99)),
                LoadRun.millis(h.getValueAtPercentile(99.9)), LoadRun.millis(h.getMaxValue()));
    }

    /** The run as one JSON object: settings, per-operation figures, errors and the per-second timeline. */
    static String json(LoadOptions options, LoadRun.Result result) {
        LoadStats stats = result.stats();
        JsonObject root = new JsonObject();
        root.addProperty("target", options.target());
        root.addProperty("workload", options.workload().name());
        root.addProperty("clients", options.clients());
        root.addProperty("records", options.records());
        root.addProperty("valueBytes", options.valueSize());
        root.addProperty("groups", options.groups());
        options.local().ifPresent(n -> root.addProperty("localNodes", n));
        options.epsilon().ifPresent(e -> root.addProperty("epsilon", e));
        root.addProperty("warmupSeconds", options.warmup().toMillis() / 1000.0);
        root.addProperty("measuredSeconds", result.measuredNanos() / 1e9);
        root.addProperty("throughput", result.throughput());
        root.addProperty("attempts", stats.attempts());
        root.addProperty("abortedAttempts", stats.abortedAttempts());
        JsonObject ops = new JsonObject();
        for (Op op : Op.values()) {
            if (stats.total(op).getTotalCount() > 0) {
                ops.add(op.label(), figures(stats.total(op), result.measuredNanos() / 1e9));
            }
        }
        ops.add("all", figures(stats.total(), result.measuredNanos() / 1e9));
        root.add("operations", ops);
        JsonObject errors = new JsonObject();
        for (Map.Entry<String, Long> e : stats.errors().entrySet()) {
            errors.addProperty(e.getKey(), e.getValue());
        }
        root.add("errors", errors);
        JsonArray timeline = new JsonArray();
        for (LoadRun.Tick tick : result.timeline()) {
            JsonObject t = new JsonObject();
            t.addProperty("second", tick.second());
            t.addProperty("opsPerSecond", tick.operationsPerSecond());
            t.addProperty("p50Ms", tick.p50Millis());
            t.addProperty("p99Ms", tick.p99Millis());
            timeline.add(t);
        }
        root.add("timeline", timeline);
        result.bankTotal().ifPresent(total -> root.addProperty("bankTotal", total));
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    private static JsonObject figures(Histogram h, double seconds) {
        JsonObject o = new JsonObject();
        o.addProperty("count", h.getTotalCount());
        o.addProperty("opsPerSecond", h.getTotalCount() / seconds);
        o.addProperty("meanMs", h.getMean() / 1_000.0);
        o.addProperty("p50Ms", LoadRun.millis(h.getValueAtPercentile(50)));
        o.addProperty("p95Ms", LoadRun.millis(h.getValueAtPercentile(95)));
        o.addProperty("p99Ms", LoadRun.millis(h.getValueAtPercentile(99)));
        o.addProperty("p999Ms", LoadRun.millis(h.getValueAtPercentile(99.9)));
        o.addProperty("maxMs", LoadRun.millis(h.getMaxValue()));
        return o;
    }
}
