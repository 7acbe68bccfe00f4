package io.meridian.chaos.run;

import io.meridian.chaos.history.CheckResult;
import io.meridian.chaos.history.HistoryFiles;
import io.meridian.client.MeridianClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code bin/meridian chaos}: starts a fresh local cluster of node processes whose node-to-node
 * traffic runs through the fault-injecting proxy ({@link ChaosCluster}), shapes its ranges for
 * the workload, runs the workload with one or more nemeses at once, prints progress and a
 * verdict, and keeps the history ({@code history.jsonl}) and the node logs in the run's
 * directory.
 *
 * <pre>
 * bin/meridian chaos [--workload bank|list-append|register|stale-read]
 *                    [--nemesis none|kill|pause|partition|clock|leadership|ranges[,...]] [--time 30s]
 *                    [--clients 8] [--nodes 5] [--zones 3] [--network proxy|namespaces] [--seed N]
 *                    [--dir DIR]
 * </pre>
 *
 * <p>Exit status: 0 when every checker passed, 1 when one found an anomaly (or something
 * unexpected happened), 2 for wrong arguments.
 */
public final class ChaosMain {

    private static final String USAGE = "usage: bin/meridian chaos [--workload bank|list-append|register|stale-read] "
            + "[--nemesis none|kill|pause|partition|clock|leadership|ranges[,...]] [--time 30s] [--clients 8] [--nodes 5] "
            + "[--zones 3] [--network proxy|namespaces] [--seed N] [--dir DIR]";

    private ChaosMain() {
    }

    /** The run's settings, parsed from the command line. */
    record Options(String workload, List<String> nemeses, Duration time, int clients, int nodes, int zones, long seed,
            Path dir, ChaosCluster.NetworkMode network) {

        static Options parse(String[] args) {
            String workload = "bank";
            List<String> nemeses = List.of("none");
            Duration time = Duration.ofSeconds(30);
            int clients = 8;
            int nodes = 5;
            int zones = 3;
            ChaosCluster.NetworkMode network = ChaosCluster.NetworkMode.PROXY;
            long seed = System.nanoTime() % 1_000_000;
            Path dir = Path.of("chaos-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--workload" -> workload = oneOf(value, "--workload", Workload.NAMES.toArray(String[]::new));
                    case "--nemesis" -> nemeses = nemeses(value);
                    case "--time" -> time = duration(value);
                    case "--clients" -> clients = positive(value, "--clients");
                    case "--nodes" -> nodes = positive(value, "--nodes");
                    case "--zones" -> zones = positive(value, "--zones");
                    case "--network" -> network = ChaosCluster.NetworkMode.named(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--dir" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (nodes > ChaosCluster.NODES_MAX) {
                throw new IllegalArgumentException("--nodes is at most " + ChaosCluster.NODES_MAX + ": " + nodes);
            }
            return new Options(workload, nemeses, time, clients, nodes, zones, seed, dir, network);
        }

        private static List<String> nemeses(String value) {
            List<String> names = List.of(value.split(",", -1));
            for (String name : names) {
                oneOf(name, "--nemesis", ChaosCluster.NEMESES.toArray(String[]::new));
            }
            if (names.size() > 1 && names.contains("none")) {
                throw new IllegalArgumentException("--nemesis none cannot be combined: " + value);
            }
            return names;
        }

        private static String oneOf(String value, String option, String... allowed) {
            if (!List.of(allowed).contains(value)) {
                throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ": " + value);
            }
            return value;
        }

        private static int positive(String value, String option) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be positive: " + value);
            }
            return n;
        }

        private static Duration duration(String value) {
            if (!value.matches("\\d{1,6}(s|m)")) {
                throw new IllegalArgumentException("--time takes seconds or minutes, e.g. 30s or 5m: " + value);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return value.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        }
    }

    /** Runs the harness and exits with the status the class comment lists. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("meridian chaos: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options, System.out, System.err) ? 0 : 1);
    }

    /** Runs one chaos run; true when the history passed every checker. */
    static boolean run(Options options, PrintStream out, PrintStream err) throws Exception {
        Workload workload = Workload.named(options.workload());
        Files.createDirectories(options.dir());
        out.println("meridian chaos: " + workload.name() + " with nemesis " + String.join(",", options.nemeses()) + ", "
                + options.clients() + " clients for " + options.time() + ", " + options.nodes() + " nodes in "
                + options.zones() + " zones (network mode: " + options.network().name().toLowerCase()
                + "), seed " + options.seed()
                + ", in " + options.dir());
        try (ChaosCluster chaos = ChaosCluster.start(options.dir(), options.nodes(), options.zones(), options.seed(),
                err::println, options.network())) {
            chaos.shape(workload.splitKeys(), 2);
            Random random = new Random(options.seed());
            List<Nemesis> nemeses = new ArrayList<>();
            for (String name : options.nemeses()) {
                nemeses.add(chaos.nemesis(name, new Random(random.nextLong()), workload.splitKeys(),
                        ChaosCluster.Pace.DEFAULT));
            }
            try (MeridianClient client = MeridianClient.builder().endpoints(chaos.clientAddresses())
                    .callTimeout(Duration.ofSeconds(15)).transactionTimeout(Duration.ofSeconds(20)).build();
                 Nemesis nemesis = Nemesis.all(nemeses)) {
                nemesis.start();
                WorkloadRunner.Result result = WorkloadRunner.run(client, workload,
                        new WorkloadRunner.Settings(options.clients(), options.time(), Long.MAX_VALUE, options.seed()),
                        line -> err.print("\r" + line + " | " + nemesis.current() + "        "));
                err.println();
                nemesis.stop();
                Path history = options.dir().resolve("history.jsonl");
                HistoryFiles.write(result.history(), history);
                report(result, history, out);
                return result.valid();
            }
        }
    }

    private static void report(WorkloadRunner.Result result, Path history, PrintStream out) {
        WorkloadRunner.Counts counts = result.counts();
        out.println("operations: " + (counts.ok() + counts.fail() + counts.info()) + " (" + counts.ok() + " ok, "
                + counts.fail() + " fail, " + counts.info() + " info)");
        for (CheckResult verdict : result.verdicts()) {
            out.println(verdict.checker() + ": " + (verdict.valid() ? "valid" : "INVALID"));
            verdict.anomalies().forEach(anomaly -> out.println("  " + anomaly));
        }
        result.unexpected().forEach(problem -> out.println("unexpected: " + problem));
        out.println("verdict: " + (result.valid() ? "valid" : "INVALID") + "; history in " + history);
    }
}
