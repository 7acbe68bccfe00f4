package io.meridian.server.local;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.client.MeridianClient;
import io.meridian.client.cli.MeridianShell;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/meridian local}: starts a local cluster, opens the {@code meridian} shell
 * ({@link MeridianShell}) on it through an SDK client that knows every node's endpoint, and stops
 * the nodes when the shell ends (quit, end of input) or on Ctrl-C. On a terminal the shell edits
 * lines; otherwise it runs the commands piped into stdin.
 *
 * <pre>
 * local [--nodes 3] [--data ./data] [--fresh] [-- node flags...]
 * </pre>
 *
 * <p>Without {@code --fresh} a data directory holding a cluster is reused: the same nodes come
 * back on the same ports with their data. With {@code --fresh} the directory is emptied first.
 * Flags after {@code --} go to every node (e.g. {@code -- --epsilon 0ms}). Launcher messages go
 * to stderr, the shell's answers to stdout.
 *
 * <p>Exit status: 0 after a normal end, 1 when a piped command failed (as {@code meridian shell}),
 * 2 on a usage error, 3 when the cluster did not start (or did not stop cleanly).
 */
public final class LocalMain {

    private static final String USAGE = """
            usage: bin/meridian [local] [--nodes N] [--data DIR] [--fresh] [-- NODE_FLAGS...]
              --nodes N   nodes of a new cluster (default 3), each in its own zone
              --data DIR  node data and logs (default ./data); an existing cluster there is restarted
              --fresh     delete DIR first and start a new cluster
              -- ...      flags for every node, e.g. -- --epsilon 0ms""";

    /** The exit status when the cluster did not start or stop. */
    private static final int EXIT_CLUSTER_FAILED = 3;
    private static final Duration CHANNEL_CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private LocalMain() {
    }

    /** The parsed command line of {@code local}. */
    record Options(int nodes, boolean nodesGiven, Path data, boolean fresh, List<String> nodeFlags) {
    }

    /**
     * Runs the local cluster and the shell; exits with the status the class comment lists.
     *
     * @param args the options (a leading {@code local} is accepted and skipped)
     */
    public static void main(String[] args) {
        // Netty looks for SLF4J first; without a provider SLF4J prints three warning lines into the shell.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("meridian local: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            out.println(USAGE);
            System.exit(0);
            return;
        }
        System.exit(run(options, out, err));
    }

    private static int run(Options options, PrintStream out, PrintStream err) {
        LocalCluster cluster = LocalCluster.builder(options.data())
                .nodes(options.nodes())
                .fresh(options.fresh())
                .nodeFlags(options.nodeFlags().toArray(String[]::new))
                .progress(message -> err.println("  " + message))
                .build();
        err.println("meridian: starting a local cluster in " + cluster.dir() + (options.fresh() ? " (fresh)" : ""));
        try {
            cluster.start();
        } catch (IOException | RuntimeException e) {
            err.println("meridian: the cluster did not start: " + e.getMessage());
            return EXIT_CLUSTER_FAILED;
        }
        printSummary(cluster, options, err);
        awaitLeaders(cluster.nodes().get(0), err);
        List<String> endpoints = cluster.nodes().stream().map(NodeSpec::clientAddress).toList();
        int status;
        try (MeridianClient client = MeridianShell.connect(endpoints)) {
            boolean terminal = MeridianShell.stdinIsTerminal();
            err.println("meridian: shell connected to " + String.join(",", endpoints)
                    + (terminal ? "; type help, and quit or Ctrl-D to stop the cluster" : ""));
            status = MeridianShell.interact(client, System.getenv(), System.in, out, err);
        } catch (IOException e) {
            err.println("meridian: reading the input failed: " + e.getMessage());
            status = 1;
        } finally {
            try {
                cluster.close();
                err.println("meridian: cluster stopped; data kept in " + cluster.dir() + " (bin/meridian restarts it)");
            } catch (IOException e) {
                err.println("meridian: stopping the cluster failed: " + e.getMessage());
                status = EXIT_CLUSTER_FAILED;
            }
        }
        return status;
    }

    private static void printSummary(LocalCluster cluster, Options options, PrintStream err) {
        int count = cluster.nodes().size();
        if (cluster.reused()) {
            err.println("meridian: restarted the " + count + "-node cluster saved in " + cluster.dir()
                    + (options.nodesGiven() && options.nodes() != count ? " (--nodes ignored: use --fresh for a new cluster)" : "")
                    + "; --fresh starts over");
        }
        err.println("meridian: " + count + " nodes serving (node logs: " + cluster.dir() + "/<node>.log):");
        for (NodeSpec node : cluster.nodes()) {
            err.println("  " + node.id() + "  " + node.clientAddress() + "  zone " + node.zone() + "  pid "
                    + cluster.pid(node.id()).orElse(-1) + "  log " + cluster.logFile(node.id()));
        }
    }

    /** Waits until every range has a leader, so that the first command does not meet UNAVAILABLE. */
    private static void awaitLeaders(NodeSpec node, PrintStream err) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build();
        try {
            ClusterReadiness.Outcome outcome = ClusterReadiness.awaitLeaders(channel, READY_TIMEOUT);
            if (outcome == ClusterReadiness.Outcome.TIMED_OUT) {
                err.println("meridian: some ranges have no leader after " + READY_TIMEOUT.toSeconds()
                        + " s; commands may answer UNAVAILABLE until they do (see status and the node logs)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeChannel(channel);
        }
    }

    private static void closeChannel(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(CHANNEL_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses the options; returns null for {@code --help}. */
    static Options parse(String[] args) {
        int nodes = 3;
        boolean nodesGiven = false;
        Path data = Path.of("data");
        boolean fresh = false;
        List<String> nodeFlags = new ArrayList<>();
        int i = args.length > 0 && args[0].equals("local") ? 1 : 0;
        for (; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--nodes" -> {
                    String value = value(args, ++i, arg);
                    try {
                        nodes = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--nodes needs a number, not '" + value + "'");
                    }
                    if (nodes < 1 || nodes > 99) {
                        throw new IllegalArgumentException("--nodes must be between 1 and 99");
                    }
                    nodesGiven = true;
                }
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "--fresh" -> fresh = true;
                case "-h", "--help", "help" -> {
                    return null;
                }
                case "--" -> {
                    nodeFlags.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(nodes, nodesGiven, data, fresh, nodeFlags);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
