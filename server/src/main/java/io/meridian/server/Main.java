package io.meridian.server;

import io.meridian.server.config.ConfigException;
import io.meridian.server.config.DataDirIdentity;
import io.meridian.server.config.NodeConfig;
import io.meridian.server.config.NodeConfigParser;
import io.meridian.server.node.MeridianNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The {@code meridian} entry point that {@code bin/meridian} runs. Commands: {@code tour} (the
 * default) walks through what exists today in a temporary folder it removes afterwards;
 * {@code node <flags>} runs one cluster node until it is stopped (SIGTERM or SIGINT).
 */
public final class Main {

    /** Exit code for a usage or configuration error. */
    public static final int EXIT_USAGE = 2;

    /** Exit code for a node that could not start, or whose shutdown did not finish in time. */
    public static final int EXIT_START_FAILED = 1;

    /** How long an orderly shutdown may take before the process halts. */
    static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(20);

    /** Ratis logs at INFO in detail; a node shows its warnings only. Held so the setting stays. */
    private static final Logger RATIS_LOG = Logger.getLogger("org.apache.ratis");

    private Main() {
    }

    /**
     * Runs one command and exits with 0 on success, 2 on a usage or configuration error, 1 when
     * a node cannot start.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "tour" : args[0];
        switch (command) {
            case "tour" -> runTour();
            case "node" -> runNode(Arrays.asList(args).subList(1, args.length));
            default -> {
                System.err.println("meridian: unknown command '" + command + "' (commands: tour, node)");
                System.exit(EXIT_USAGE);
            }
        }
    }

    private static void runNode(List<String> args) throws InterruptedException {
        RATIS_LOG.setLevel(Level.WARNING);
        if (args.contains("--help") || args.contains("-h")) {
            System.out.print(NodeConfigParser.usage());
            return;
        }
        NodeConfig config;
        DataDirIdentity identity;
        try {
            config = NodeConfigParser.parse(args);
            if (!config.bootstraps() && config.join().isEmpty() && !DataDirIdentity.exists(config.dataDir())) {
                throw new ConfigException("--data " + config.dataDir() + " is new: a new node needs --initial-members"
                        + " (to bootstrap a cluster) or --join (to join one)");
            }
            identity = DataDirIdentity.claim(config.dataDir(), config.cluster(), config.id());
        } catch (ConfigException e) {
            System.err.println("meridian node: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        MeridianNode node;
        try {
            node = MeridianNode.start(config, identity);
        } catch (Throwable e) {
            // Also errors (a missing class, out of memory): the node must not linger half-started.
            System.err.println("meridian node " + config.id() + ": cannot start: " + e);
            e.printStackTrace(System.err);
            Runtime.getRuntime().halt(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWithin(node, SHUTDOWN_LIMIT), "meridian-shutdown"));
        System.out.println("meridian node " + config.id() + " serving on " + config.listen()
                + " (raft " + config.raft() + ")");
        System.out.flush();
        node.awaitTermination();
    }

    /**
     * Closes the node on SIGTERM; if that has not finished within {@code limit} (a stuck replica
     * or replication thread), halts the process so that a stop request always stops the node.
     */
    private static void closeWithin(MeridianNode node, Duration limit) {
        Thread closer = Thread.ofPlatform().daemon().name("meridian-close").start(node::close);
        try {
            closer.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            System.err.println("meridian node " + node.config().id() + ": shutdown did not finish within " + limit
                    + "; halting");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_START_FAILED);
        }
    }

    private static void runTour() throws Exception {
        Path dir = Files.createTempDirectory("meridian-tour-");
        try {
            new Tour(System.out).run(dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
