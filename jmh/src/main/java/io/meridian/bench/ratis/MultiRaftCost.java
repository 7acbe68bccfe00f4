package io.meridian.bench.ratis;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;

/**
 * What hosting many Raft groups costs a node. For every profile and every group count G it
 * starts 3 {@link BareRatisServer} JVMs, each hosting the same G groups (every group on all three,
 * no-op state machine), waits until every group has a leader, lets them settle, then reports for
 * server n0: live threads and RSS ({@code /proc/<pid>/status}), idle CPU over a window
 * ({@code /proc/<pid>/stat} user + system time, as % of one core; the mean over the three
 * servers too, since leaders are spread unevenly), what the JVM says about itself (heap, direct
 * memory, leaders it holds, threads by name), and then the p50 of one sequential client writing to
 * group 0. The driver holds no client while the idle CPU is measured.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar io.meridian.bench.ratis.MultiRaftCost [options]
 *   --groups 1,10,50,100            group counts
 *   --profiles ratis-defaults,pools,pools-hb1s   see RatisProfile#named
 *   --settle 30s                    after all leaders are elected
 *   --idle 20s                      CPU measurement window
 *   --warmup 5s --measure 10s       the single-client write test
 *   --prop key=value                extra Ratis property for every profile (repeatable)
 *   --server-jvm "-Xmx1g"           extra JVM flags for the server JVMs
 *   --quiet-pct 25 --quiet-max 180s before each cluster, wait (bounded) for other processes to
 *                                   use less than this % of the box
 * </pre>
 */
public final class MultiRaftCost {

    private static final Set<String> OPTIONS = Set.of("groups", "profiles", "settle", "idle", "warmup", "measure",
            "prop", "server-jvm", "keep-dir", "payload", "quiet-pct", "quiet-max");

    private MultiRaftCost() {
    }

    /** {@code foreignIdle}, {@code foreignWrite}: other processes' CPU, % of the box, in the two windows. */
    private record Row(String profile, int groups, int threads, long rssKiB, double cpuN0, double cpuMean,
                       String selfStats, Duration electedIn, LatencyProbe.Result write,
                       double foreignIdle, double foreignWrite) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, OPTIONS);
        if (args.has("help")) {
            System.out.println("options: --" + String.join(" --", OPTIONS) + " (see the class comment)");
            return;
        }
        List<String> groupCounts = args.list("groups", "1,10,50,100");
        List<String> profiles = args.list("profiles", "ratis-defaults,pools,pools-hb1s");
        Duration settle = args.duration("settle", Duration.ofSeconds(30));
        Duration idle = args.duration("idle", Duration.ofSeconds(20));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        Duration measure = args.duration("measure", Duration.ofSeconds(10));
        List<String> serverJvm = BareRatisFloor.splitFlags(args.string("server-jvm", ""));
        boolean keepDir = args.bool("keep-dir", false);
        Message payload = Message.valueOf("x".repeat(args.integer("payload", 128)));
        double quietPct = args.integer("quiet-pct", 25);
        Duration quietMax = args.duration("quiet-max", Duration.ofSeconds(180));

        PrintStream out = System.out;
        String loadBefore = ProcStat.loadAverage();
        out.printf(Locale.ROOT, "Multi-raft cost: Ratis %s, Java %s, %d cores, load %s; settle %ds, idle window %ds, write test %ds+%ds%n",
                BareRatisFloor.ratisVersion(), Runtime.version(), Runtime.getRuntime().availableProcessors(), loadBefore,
                settle.toSeconds(), idle.toSeconds(), warmup.toSeconds(), measure.toSeconds());

        List<Row> rows = new ArrayList<>();
        for (String profileName : profiles) {
            RatisProfile profile = RatisProfile.named(profileName).withAll(args.all("prop"));
            out.println("profile " + profile);
            for (String g : groupCounts) {
                int groups = Integer.parseInt(g);
                if (quietPct > 0) {
                    ProcStat.awaitQuiet(quietPct, quietMax, out);
                }
                try {
                    Row row = measure(profile, groups, serverJvm, keepDir, settle, idle, warmup, measure, payload);
                    rows.add(row);
                    out.println("  " + format(row));
                    out.println("    n0 self-report: " + row.selfStats);
                } catch (IOException | RuntimeException e) {
                    // One configuration failing (e.g. elections never settling) must not lose the others.
                    out.printf(Locale.ROOT, "  %-16s %5d FAILED: %s%n", profile.name(), groups, e);
                }
            }
        }

        out.println();
        out.println(header());
        rows.forEach(r -> out.println(format(r)));
        out.println();
        // Marginal cost per group between the smallest and largest G of each profile.
        for (String profileName : profiles) {
            List<Row> pr = rows.stream().filter(r -> r.profile.equals(profileName)).toList();
            if (pr.size() >= 2) {
                Row a = pr.get(0);
                Row b = pr.get(pr.size() - 1);
                int dg = b.groups - a.groups;
                if (dg > 0) {
                    // Idle CPU from the mean of the three servers: n0 alone swings with how many leaders it got.
                    out.printf(Locale.ROOT, "%-16s per extra group (G %d→%d): %.1f threads, %.1f MiB RSS (n0), %.2f %% of a core idle (mean of 3)%n",
                            profileName, a.groups, b.groups, (b.threads - a.threads) / (double) dg,
                            (b.rssKiB - a.rssKiB) / 1024.0 / dg, (b.cpuMean - a.cpuMean) / dg);
                }
            }
        }
        List<String> json = new ArrayList<>();
        for (Row r : rows) {
            json.add(Json.obj().put("profile", r.profile).put("groups", r.groups).put("threads", r.threads)
                    .put("rss_mib", r.rssKiB / 1024.0).put("idle_cpu_pct_n0", r.cpuN0).put("idle_cpu_pct_mean", r.cpuMean)
                    .put("elected_ms", r.electedIn.toMillis()).raw("n0", r.selfStats)
                    .put("foreign_pct_idle", r.foreignIdle).put("foreign_pct_write", r.foreignWrite)
                    .raw("write", r.write.toJson().toString()).toString());
        }
        out.println(Json.obj().put("bench", "multi-raft-cost").put("ratis", BareRatisFloor.ratisVersion())
                .put("java", Runtime.version().toString()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("load_before", loadBefore).put("load_after", ProcStat.loadAverage())
                .put("settle_s", settle.toSeconds()).put("idle_s", idle.toSeconds())
                .raw("results", "[" + String.join(",", json) + "]"));
    }

    private static Row measure(RatisProfile profile, int groups, List<String> serverJvm, boolean keepDir,
                               Duration settle, Duration idle, Duration warmup, Duration measure, Message payload)
            throws IOException {
        Duration ready = Duration.ofSeconds(60 + 2L * groups);
        try (RatisCluster cluster = RatisCluster.start(3, groups, profile, serverJvm, keepDir, ready, System.err)) {
            Duration elected = cluster.awaitLeaders(Duration.ofSeconds(60 + groups));
            RatisCluster.sleep(settle);

            long[] cpu0 = new long[cluster.size()];
            for (int i = 0; i < cluster.size(); i++) {
                cpu0[i] = ProcStat.cpuNanos(cluster.pid(i));
            }
            ProcStat.Window idleBox = new ProcStat.Window(cluster.pidsWithSelf());
            long t0 = System.nanoTime();
            RatisCluster.sleep(idle);
            long elapsed = System.nanoTime() - t0;
            double[] cpuPct = new double[cluster.size()];
            double sum = 0;
            for (int i = 0; i < cluster.size(); i++) {
                cpuPct[i] = 100.0 * (ProcStat.cpuNanos(cluster.pid(i)) - cpu0[i]) / elapsed;
                sum += cpuPct[i];
            }
            double foreignIdle = idleBox.percent()[2];
            int threads = ProcStat.threads(cluster.pid(0));
            long rss = ProcStat.rssKiB(cluster.pid(0));
            String self = cluster.stats(0);
            String compact = Json.obj().put("leaders", Json.intField(self, "leaders"))
                    .put("jvmThreads", Json.intField(self, "threads"))
                    .put("heapUsedMiB", Json.intField(self, "heapUsedMiB"))
                    .put("heapCommittedMiB", Json.intField(self, "heapCommittedMiB"))
                    .put("directMiB", Json.intField(self, "directMiB"))
                    .raw("threadNames", topThreadNames(Json.objectField(self, "threadNames"), 8)).toString();

            try (RaftClient client = cluster.newClient(0, profile, 20)) {
                LatencyProbe.awaitWritable(client, Duration.ofSeconds(30));
                LatencyProbe.sequential(client, payload, warmup);
                ProcStat.Window writeBox = new ProcStat.Window(cluster.pidsWithSelf());
                LatencyProbe.Result write = LatencyProbe.sequential(client, payload, measure);
                return new Row(profile.name(), groups, threads, rss, cpuPct[0], sum / cluster.size(), compact, elected,
                        write, foreignIdle, writeBox.percent()[2]);
            }
        }
    }

    /** The first {@code n} entries of the (already count-sorted) thread-name object. */
    private static String topThreadNames(String obj, int n) {
        String body = obj.substring(1, obj.length() - 1);
        if (body.isEmpty()) {
            return "{}";
        }
        String[] parts = body.split(",(?=\")");
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < Math.min(n, parts.length); i++) {
            sb.append(i == 0 ? "" : ",").append(parts[i]);
        }
        return sb.append('}').toString();
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-16s %5s %8s %9s %10s %11s %8s %9s %9s %9s %9s",
                "profile", "G", "threads", "RSS MiB", "idle CPU%", "CPU% mean3", "leaders", "p50 µs", "p99 µs", "writes/s",
                "foreign% idle/write");
    }

    private static String format(Row r) {
        return String.format(Locale.ROOT, "%-16s %5d %8d %9.0f %10.1f %11.1f %8d %9.0f %9.0f %9.0f %4.0f/%-4.0f%s",
                r.profile, r.groups, r.threads, r.rssKiB / 1024.0, r.cpuN0, r.cpuMean,
                Json.intField(r.selfStats, "leaders"), r.write.micros(50), r.write.micros(99), r.write.writesPerSecond(),
                r.foreignIdle, r.foreignWrite,
                r.write.errors() > 0 ? "  errors=" + r.write.errors() + " " + r.write.note() : "");
    }
}
