package io.meridian.chaos.run;

import io.meridian.chaos.history.CheckResult;
import io.meridian.chaos.history.HistoryFiles;
import io.meridian.client.MeridianClient;
import io.meridian.server.local.LocalCluster;
import io.meridian.server.local.NodeSpec;
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
 * {@code bin/meridian chaos}: starts a fresh local cluster of node processes, shapes its ranges
 * for the workload, runs the workload with a nemesis, prints progress and a verdict, and keeps
 * the history ({@code history.jsonl}) and the node logs in the run's directory.
 *
 * <pre>
 * bin/meridian chaos [--workload bank|list-append|register] [--nemesis none|kill] [--time 30s]
 *                    [--clients 8] [--nodes 3] [--seed N] [--dir DIR]
 * </pre>
 *
 * <p>Exit status: 0 when every checker passed, 1 when one found an anomaly (or something
 * unexpected happened), 2 for wrong arguments.
 */
public final class ChaosMain {

    private static final String USAGE = "usage: bin/meridian chaos [--workload bank|list-append|register] "
            + "[--nemesis none|kill] [--time 30s] [--clients 8] [--nodes 3] [--seed N] [--dir DIR]";

    private ChaosMain() {
    }

    /** The run's settings, parsed from the command line. */
    record Options(String workload, String nemesis, Duration time, int clients, int nodes, long seed, Path dir) {

        static Options parse(String[] args) {
            String workload = "bank";
            String nemesis = "none";
            Duration time = Duration.ofSeconds(30);
            int clients = 8;
            int nodes = 3;
            long seed = System.nanoTime() % 1_000_000;
            Path dir = Path.of("chaos-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--workload" -> workload = oneOf(value, "--workload", "bank", "list-append", "register");
                    case "--nemesis" -> nemesis = oneOf(value, "--nemesis", "none", "kill");
                    case "--time" -> time = duration(value);
                    case "--clients" -> clients = positive(value, "--clients");
                    case "--nodes" -> nodes = positive(value, "--nodes");
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--dir" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(workload, nemesis, time, clients, nodes, seed, dir);
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
        Workload workload = switch (options.workload()) {
            case "list-append" -> new ListAppendWorkload(ListAppendWorkload.PREFIX, 5);
            case "register" -> new RegisterWorkload(RegisterWorkload.PREFIX, 3);
            default -> new BankWorkload(8, 100);
        };
        Files.createDirectories(options.dir());
        out.println("meridian chaos: " + workload.name() + " with nemesis " + options.nemesis() + ", " + options.clients()
                + " clients for " + options.time() + ", seed " + options.seed() + ", in " + options.dir());
        try (LocalCluster cluster = LocalCluster.builder(options.dir().resolve("cluster")).nodes(options.nodes())
                .fresh(true).progress(err::println).build()) {
            cluster.start();
            List<String> nodeIds = cluster.nodes().stream().map(NodeSpec::id).toList();
            ClusterShape.spread(cluster.clientAddress(nodeIds.get(0)), workload.splitKeys(), 2, nodeIds);
            List<String> endpoints = new ArrayList<>();
            nodeIds.forEach(id -> endpoints.add(cluster.clientAddress(id)));
            try (MeridianClient client = MeridianClient.builder().endpoints(endpoints).callTimeout(Duration.ofSeconds(15))
                    .transactionTimeout(Duration.ofSeconds(20)).build();
                 Nemesis nemesis = options.nemesis().equals("kill")
                         ? new KillNemesis(cluster, new Random(options.seed()), Duration.ofSeconds(8), Duration.ofSeconds(3))
                         : Nemesis.none()) {
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
