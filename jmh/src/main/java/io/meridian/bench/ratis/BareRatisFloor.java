package io.meridian.bench.ratis;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.VersionInfo;

/**
 * The replication floor: what one write costs in bare Ratis, before Meridian adds anything.
 *
 * <p>For every variant (by default fsync on and fsync off, {@link RatisProfile#floor}) it starts 3
 * {@link BareRatisServer} JVMs on 127.0.0.1 (gRPC, one group, a no-op state machine, Raft log on a
 * temporary directory) and waits for a leader. It warms all variants up at once, then measures
 * with one Ratis client per variant: (a) sequential writes (one at a time) and (b)
 * {@code --outstanding} asynchronous writes in flight. Variants are measured <em>interleaved</em>,
 * in slices of {@code --slice} taken in turn, so that on a shared box every variant sees the same
 * background load; each variant gets {@code --measure} of each mode in total. Prints a table and
 * one JSON line ({@code {"bench":"ratis-floor",...}}). The {@code ours%} and {@code foreign%}
 * columns say how busy the box was during the measured slices: our JVMs, and everything else.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar io.meridian.bench.ratis.BareRatisFloor [options]
 *   --warmup 60s          warm-up before measuring (all variants at once; seq and async alternating)
 *   --jit-quiet-pct 5     ... then keep warming up while our JVMs' JIT compiler threads used more
 *                         than this % of the box in the last 10 s (0 = fixed warm-up) ...
 *   --warmup-max 300s     ... but no longer than this in all
 *   --measure 30s         measured time per variant and mode
 *   --slice 5s            length of one interleaved measuring slice
 *   --fsync both          on | off | both (with --variant: on or off, the base of every variant)
 *   --variant name:k=v,k=v  a variant = the base + these Ratis properties (repeatable; replaces
 *                         the fsync on/off pair)
 *   --modes seq,async     which loops to measure
 *   --outstanding 64      async writes in flight
 *   --payload 128         bytes per write
 *   --election-min 1s     raft.server.rpc.timeout.min (election timeout; heartbeats every min/2)
 *   --election-max 2s     raft.server.rpc.timeout.max
 *   --prop key=value      any Ratis property, on servers and client, for every variant (repeatable)
 *   --label name          a label for the JSON line
 *   --server-jvm "-Xmx1g" extra JVM flags for the server JVMs
 *   --keep-dir            keep the temporary directories (logs, Raft storage)
 *   --quiet-pct 25        before starting, wait until other processes use less than this % of
 *                         the box (0 = don't wait) ...
 *   --quiet-max 180s      ... but no longer than this
 * </pre>
 */
public final class BareRatisFloor {

    private static final Set<String> OPTIONS = Set.of("warmup", "measure", "slice", "fsync", "variant", "modes",
            "outstanding", "payload", "election-min", "election-max", "prop", "label", "server-jvm", "keep-dir",
            "quiet-pct", "quiet-max", "warmup-max", "jit-quiet-pct");

    private BareRatisFloor() {
    }

    /** One cluster under test with its client. */
    private record Variant(RatisProfile profile, RatisCluster cluster, RaftClient client) {
    }

    /** {@code box}: busy, ours, foreign, JIT CPU during the measured slices, % of the whole box. */
    private record Row(RatisProfile profile, LatencyProbe.Result result, double[] box) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, OPTIONS);
        if (args.has("help")) {
            System.out.println("options: --" + String.join(" --", OPTIONS) + " (see the class comment)");
            return;
        }
        Duration warmup = args.duration("warmup", Duration.ofSeconds(60));
        Duration measure = args.duration("measure", Duration.ofSeconds(30));
        Duration slice = args.duration("slice", Duration.ofSeconds(5));
        Duration warmupMax = args.duration("warmup-max", Duration.ofSeconds(300));
        double jitQuietPct = args.integer("jit-quiet-pct", 5);
        List<String> modes = args.list("modes", "seq,async");
        int outstanding = args.integer("outstanding", 64);
        int payloadBytes = args.integer("payload", 128);
        Duration electionMin = args.duration("election-min", RatisProfile.MERIDIAN_ELECTION_MIN);
        Duration electionMax = args.duration("election-max", RatisProfile.MERIDIAN_ELECTION_MAX);
        String label = args.string("label", "");
        List<String> serverJvm = splitFlags(args.string("server-jvm", ""));
        boolean keepDir = args.bool("keep-dir", false);
        double quietPct = args.integer("quiet-pct", 25);
        Duration quietMax = args.duration("quiet-max", Duration.ofSeconds(180));
        for (String mode : modes) {
            if (!mode.equals("seq") && !mode.equals("async")) {
                throw new IllegalArgumentException("--modes: seq and/or async");
            }
        }

        List<RatisProfile> profiles = new ArrayList<>();
        String fsync = args.string("fsync", args.has("variant") ? "on" : "both");
        if (args.has("variant")) {
            boolean on = switch (fsync) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw new IllegalArgumentException("--fsync with --variant: on or off");
            };
            for (String spec : args.all("variant")) {
                int colon = spec.indexOf(':');
                String name = colon < 0 ? spec : spec.substring(0, colon);
                String kvs = colon < 0 ? "" : spec.substring(colon + 1);
                List<String> kv = kvs.isBlank() ? List.of() : Arrays.asList(kvs.split(","));
                profiles.add(RatisProfile.floor(electionMin, electionMax, on).withAll(args.all("prop")).withAll(kv).renamed(name));
            }
        } else {
            List<Boolean> fsyncModes = switch (fsync) {
                case "both" -> List.of(true, false);
                case "on", "true" -> List.of(true);
                case "off", "false" -> List.of(false);
                default -> throw new IllegalArgumentException("--fsync: on, off or both");
            };
            for (boolean on : fsyncModes) {
                profiles.add(RatisProfile.floor(electionMin, electionMax, on).withAll(args.all("prop")));
            }
        }

        byte[] bytes = new byte[payloadBytes];
        new Random(42).nextBytes(bytes);
        Message payload = Message.valueOf(ByteString.copyFrom(bytes));

        PrintStream out = System.out;
        String loadBefore = ProcStat.loadAverage();
        out.printf(Locale.ROOT, "Ratis floor: Ratis %s, Java %s, %d cores, load %s; warm-up %ds, measure %ds per variant"
                        + " and mode in %ds slices, %d-byte writes, %d async outstanding%n",
                ratisVersion(), Runtime.version(), Runtime.getRuntime().availableProcessors(), loadBefore,
                warmup.toSeconds(), measure.toSeconds(), slice.toSeconds(), payloadBytes, outstanding);
        profiles.forEach(p -> out.println("variant " + p));
        if (quietPct > 0) {
            double foreign = ProcStat.awaitQuiet(quietPct, quietMax, out);
            out.printf(Locale.ROOT, "other processes: %.0f%% of the box just before start%n", foreign);
        }

        List<Variant> variants = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try {
            for (RatisProfile profile : profiles) {
                RatisCluster cluster = RatisCluster.start(3, 1, profile, serverJvm, keepDir, Duration.ofSeconds(120), System.err);
                RaftClient client;
                try {
                    client = cluster.newClient(0, profile, 20);
                } catch (RuntimeException e) {
                    cluster.close();
                    throw e;
                }
                variants.add(new Variant(profile, cluster, client));
                Duration elected = LatencyProbe.awaitWritable(client, Duration.ofSeconds(60));
                out.printf(Locale.ROOT, "  %s: first write after %d ms%n", profile.name(), elected.toMillis());
            }
            warmUp(variants, payload, outstanding, warmup, jitQuietPct, warmupMax, out);

            for (String mode : modes) {
                List<List<LatencyProbe.Result>> slices = new ArrayList<>();
                double[][] box = new double[variants.size()][4];
                double[] measured = new double[variants.size()];
                variants.forEach(v -> slices.add(new ArrayList<>()));
                int rounds = (int) Math.max(1, (measure.toMillis() + slice.toMillis() - 1) / slice.toMillis());
                for (int round = 0; round < rounds; round++) {
                    Duration d = round < rounds - 1 ? slice : measure.minus(slice.multipliedBy(rounds - 1));
                    for (int v = 0; v < variants.size(); v++) {
                        Variant var = variants.get(v);
                        ProcStat.Window window = new ProcStat.Window(allPids(variants));
                        LatencyProbe.Result r = mode.equals("seq")
                                ? LatencyProbe.sequential(var.client, payload, d)
                                : LatencyProbe.async(var.client, payload, outstanding, d);
                        double[] pct = window.percent();
                        for (int k = 0; k < 4; k++) {
                            box[v][k] += pct[k] * r.seconds();
                        }
                        measured[v] += r.seconds();
                        slices.get(v).add(r);
                    }
                }
                for (int v = 0; v < variants.size(); v++) {
                    double[] avg = new double[4];
                    for (int k = 0; k < 4; k++) {
                        avg[k] = box[v][k] / measured[v];
                    }
                    Row row = new Row(variants.get(v).profile, LatencyProbe.Result.merge(slices.get(v)), avg);
                    rows.add(row);
                    out.println("  " + formatRow(row));
                }
            }
        } finally {
            for (Variant v : variants) {
                try {
                    v.client.close();
                } catch (IOException | RuntimeException ignored) {
                    // closing anyway
                }
                v.cluster.close();
            }
        }

        out.println();
        out.println(header());
        rows.forEach(r -> out.println(formatRow(r)));
        List<String> results = new ArrayList<>();
        for (Row r : rows) {
            results.add(r.result.toJson().put("profile", r.profile.name()).put("props", r.profile.props())
                    .put("box_busy_pct", r.box[0]).put("ours_pct", r.box[1]).put("foreign_pct", r.box[2])
                    .put("jit_pct", r.box[3]).toString());
        }
        out.println(Json.obj().put("bench", "ratis-floor").put("ratis", ratisVersion())
                .put("java", Runtime.version().toString()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("load_before", loadBefore).put("load_after", ProcStat.loadAverage())
                .put("warmup_s", warmup.toSeconds()).put("measure_s", measure.toSeconds())
                .put("slice_s", slice.toSeconds()).put("payload_bytes", payloadBytes).put("label", label)
                .raw("results", "[" + String.join(",", results) + "]"));
    }

    /**
     * All variants at once, each alternating 5 s of sequential and 5 s of async writes, for at
     * least {@code warmup}; then on, in 10 s steps, while our JVMs' JIT compilers still used more
     * than {@code jitQuietPct} % of the box, up to {@code warmupMax} in all. On a 2-core box with
     * several server JVMs compiling the same gRPC/Netty/protobuf code, C2 keeps going for minutes.
     */
    private static void warmUp(List<Variant> variants, Message payload, int outstanding, Duration warmup,
                               double jitQuietPct, Duration warmupMax, PrintStream out)
            throws InterruptedException, IOException {
        out.printf(Locale.ROOT, "  warming up %ds%s%n", warmup.toSeconds(), jitQuietPct > 0
                ? String.format(Locale.ROOT, " (then until JIT < %.0f%% of the box, at most %ds)", jitQuietPct, warmupMax.toSeconds())
                : "");
        long start = System.nanoTime();
        long hardEnd = start + Math.max(warmup.toNanos(), warmupMax.toNanos());
        java.util.concurrent.atomic.AtomicLong end = new java.util.concurrent.atomic.AtomicLong(start + warmup.toNanos());
        List<Thread> threads = new ArrayList<>();
        for (Variant v : variants) {
            Thread t = new Thread(() -> {
                boolean seq = true;
                for (long left; (left = end.get() - System.nanoTime()) > 0; seq = !seq) {
                    Duration d = Duration.ofNanos(Math.min(left, Duration.ofSeconds(5).toNanos()));
                    if (seq) {
                        LatencyProbe.sequential(v.client, payload, d);
                    } else {
                        LatencyProbe.async(v.client, payload, outstanding, d);
                    }
                }
            }, "warmup-" + v.profile.name());
            t.start();
            threads.add(t);
        }
        long[] pids = allPids(variants);
        while (System.nanoTime() < end.get() - Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(1000);
        }
        while (jitQuietPct > 0) {
            // Sample the last 10 s before the current end; extend by 10 s while the JIT is busy.
            long wait = end.get() - System.nanoTime() - Duration.ofSeconds(10).toNanos();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            ProcStat.Window w = new ProcStat.Window(pids);
            Thread.sleep(9_000);
            double jit = w.percent()[3];
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            if (jit < jitQuietPct || end.get() + Duration.ofSeconds(10).toNanos() > hardEnd) {
                out.printf(Locale.ROOT, "  warm-up ends after %ds (JIT at %.0f%% of the box)%n", elapsed + 1, jit);
                break;
            }
            out.printf(Locale.ROOT, "  %ds: JIT still at %.0f%% of the box; warming up 10 s more%n", elapsed, jit);
            end.addAndGet(Duration.ofSeconds(10).toNanos());
        }
        for (Thread t : threads) {
            t.join(Math.max(warmup.toMillis(), warmupMax.toMillis()) + 120_000);
        }
    }

    private static long[] allPids(List<Variant> variants) {
        List<Long> pids = new ArrayList<>();
        for (Variant v : variants) {
            long[] p = v.cluster.pidsWithSelf();
            for (int i = 0; i < p.length - 1; i++) {
                pids.add(p[i]);
            }
        }
        pids.add(ProcessHandle.current().pid());
        return pids.stream().mapToLong(Long::longValue).toArray();
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-22s %-10s %10s %9s %9s %9s %9s %9s %7s %6s %5s %8s",
                "variant", "mode", "writes/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "errors",
                "ours%", "jit%", "foreign%");
    }

    private static String formatRow(Row row) {
        LatencyProbe.Result r = row.result;
        String mode = r.mode() + " (" + r.outstanding() + ")";
        return String.format(Locale.ROOT, "%-22s %-10s %10.0f %9.0f %9.0f %9.0f %9.0f %9.0f %7d %6.0f %5.0f %8.0f%s",
                row.profile.name(), mode, r.writesPerSecond(), r.micros(50), r.micros(90), r.micros(99),
                r.micros(99.9), r.maxMicros(), r.errors(), row.box[1], row.box[3], row.box[2],
                r.note().isEmpty() ? "" : "  " + r.note());
    }

    static List<String> splitFlags(String flags) {
        return flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
    }

    static String ratisVersion() {
        try {
            return VersionInfo.getSoftwareInfoVersion();
        } catch (RuntimeException | LinkageError e) {
            return "3.3.0";
        }
    }
}
