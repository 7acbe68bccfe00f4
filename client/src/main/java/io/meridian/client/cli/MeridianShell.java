package io.meridian.client.cli;

import io.meridian.client.MeridianClient;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code meridian} shell's entry point: {@code bin/meridian shell} and
 * {@code bin/meridian exec} run {@link #main}; {@code bin/meridian local} opens
 * {@link #interact} on the cluster it starts.
 *
 * <pre>
 * meridian shell [--endpoints HOST:PORT,...]            interactive on a terminal, else the commands on stdin
 * meridian exec [--endpoints HOST:PORT,...] "CMD; CMD" ... the commands given, stopping at the first error
 * </pre>
 *
 * <p>Exit status: 0 when every command succeeded (or an interactive session ended), 1 when a
 * command failed or the input ended inside a transaction (piped input and {@code exec} only), 2
 * when the shell's own arguments are wrong. Answers go to stdout, errors to stderr.
 *
 * <p>On a terminal the shell edits lines with JLine, keeps history in {@code ~/.meridian_history}
 * (or the file {@code $MERIDIAN_HISTORY} names; none when that is empty or the file cannot be
 * written) and completes command names and keywords with Tab.
 */
public final class MeridianShell {

    /** Names the history file; empty turns history off. */
    static final String HISTORY_VARIABLE = "MERIDIAN_HISTORY";
    /** The deadline of each request, and how long a request that cannot be served is retried. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How often an open read-write transaction is kept alive while the shell waits for input. */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(3);

    private MeridianShell() {
    }

    /**
     * Runs {@code shell} or {@code exec} and exits with the status the class comment lists.
     *
     * @param args {@code shell} or {@code exec}, then their options and commands
     */
    public static void main(String[] args) {
        // Netty looks for SLF4J first; without a provider SLF4J prints three warning lines into the shell.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /**
     * Runs {@code shell} or {@code exec} on the standard streams.
     *
     * @param args        {@code shell} or {@code exec}, then their options and commands
     * @param environment the process environment ({@code MERIDIAN_ENDPOINTS}, {@code MERIDIAN_HISTORY})
     * @param out         where answers go
     * @param err         where errors and usage go
     * @return the exit status
     */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<ShellOptions> parsed;
        try {
            parsed = ShellOptions.parse(args, environment);
        } catch (IllegalArgumentException e) {
            err.println("meridian: " + e.getMessage());
            err.println(ShellOptions.USAGE);
            return ShellLoop.EXIT_USAGE;
        }
        if (parsed.isEmpty()) {
            out.println(ShellOptions.USAGE);
            return ShellLoop.EXIT_OK;
        }
        ShellOptions options = parsed.get();
        MeridianClient client;
        try {
            client = connect(options.endpoints());
        } catch (IllegalArgumentException e) {
            err.println("meridian: " + e.getMessage());
            return ShellLoop.EXIT_USAGE;
        }
        try (client) {
            if (options.exec()) {
                BufferedReader commands = new BufferedReader(new StringReader(String.join("\n", options.commands())));
                return loop(session(client, out, err), LineSource.of(commands), ShellLoop.OnError.STOP);
            }
            return interact(client, environment, System.in, out, err);
        } catch (IOException e) {
            err.println("meridian: reading the input failed: " + e.getMessage());
            return ShellLoop.EXIT_COMMAND_FAILED;
        }
    }

    /**
     * A client as the shell uses it: each request's deadline, and the time a request that
     * cannot be served yet is retried, are 10 seconds, so that a command on an unreachable
     * cluster fails in seconds rather than a minute.
     *
     * @param endpoints client addresses of one or more nodes, {@code host:port}
     * @return the client (the caller closes it)
     * @throws IllegalArgumentException if an endpoint is not {@code host:port}
     */
    public static MeridianClient connect(List<String> endpoints) {
        return MeridianClient.builder().endpoints(endpoints)
                .callTimeout(REQUEST_TIMEOUT).transactionTimeout(REQUEST_TIMEOUT).build();
    }

    /**
     * Runs the shell on a client until {@code quit} or the end of input: with line editing when
     * standard input is a terminal, otherwise reading {@code in} line by line without prompts.
     *
     * @param client      the cluster (the caller closes it)
     * @param environment the process environment ({@code MERIDIAN_HISTORY})
     * @param in          the commands when standard input is not a terminal
     * @param out         where answers go
     * @param err         where errors go
     * @return 0, or 1 when input was not a terminal and a command failed (or the input ended
     *     inside a transaction)
     * @throws IOException if reading the input fails
     */
    public static int interact(MeridianClient client, Map<String, String> environment, InputStream in, PrintStream out,
            PrintStream err) throws IOException {
        if (!stdinIsTerminal()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return loop(session(client, out, err), LineSource.of(lines), ShellLoop.OnError.CONTINUE_AND_FAIL);
        }
        Terminal terminal = TerminalBuilder.builder().system(true).encoding(StandardCharsets.UTF_8).build();
        try (TerminalConsole console = new TerminalConsole(terminal, historyFile(environment))) {
            PrintWriter screen = console.writer();
            ShellSession session = new ShellSession(client, screen, screen, System::nanoTime);
            return loop(session, console, ShellLoop.OnError.CONTINUE_AND_SUCCEED);
        }
    }

    /**
     * Whether standard input is a terminal, so that the shell should prompt and edit lines.
     *
     * @return false when input is piped or redirected (or output is, on Java 21)
     */
    public static boolean stdinIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // From Java 22 a console exists even when redirected and isTerminal() tells; on 21
            // (no such method) a console exists only for a terminal.
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * Runs {@code session} on {@code lines} while a timer keeps its open read-write transaction
     * alive every {@link #KEEP_ALIVE_INTERVAL} (the server ends one idle for 10 s; a person may
     * think longer between commands).
     */
    private static int loop(ShellSession session, LineSource lines, ShellLoop.OnError onError) throws IOException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("meridian-shell-keepalive").factory());
        try {
            timer.scheduleWithFixedDelay(session::keepOpenTransactionAlive, KEEP_ALIVE_INTERVAL.toMillis(),
                    KEEP_ALIVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            return ShellLoop.run(session, lines, onError);
        } finally {
            timer.shutdownNow();
        }
    }

    private static ShellSession session(MeridianClient client, PrintStream out, PrintStream err) {
        return new ShellSession(client, new PrintWriter(out, true, StandardCharsets.UTF_8),
                new PrintWriter(err, true, StandardCharsets.UTF_8), System::nanoTime);
    }

    private static Optional<Path> historyFile(Map<String, String> environment) {
        String named = environment.get(HISTORY_VARIABLE);
        if (named != null) {
            return named.isBlank() ? Optional.empty() : TerminalConsole.writableHistoryFile(Path.of(named));
        }
        return TerminalConsole.writableHistoryFile(Path.of(System.getProperty("user.home"), ".meridian_history"));
    }
}
