package io.meridian.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meridian.server.local.LocalCluster;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code meridian} shell as a user runs it, in its own process against a real 3-node
 * cluster: commands piped on standard input (every command, bad input included), {@code exec}
 * for scripts, and an interactive session on a pseudo-terminal (through util-linux
 * {@code script}), where JLine edits lines and keeps history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellIT {

    private static final long PROCESS_PATIENCE_SECONDS = 60;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private String endpoints;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.builder(dir.resolve("cluster")).nodes(3).fresh(true).build();
        cluster.start();
        endpoints = String.join(",", cluster.clientAddress("n1"), cluster.clientAddress("n2"),
                cluster.clientAddress("n3"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What a finished shell process printed. */
    private record Run(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    @Test
    void everyCommandThroughPipedInput() throws Exception {
        Run run = shell(List.of("shell", "--endpoints", endpoints), Map.of(), """
                put greeting hello
                get greeting
                put bin 0x00ff
                get bin
                put "two words" 'a b'
                get "two words"
                scan
                scan limit 1
                scan b h reverse
                get greeting stale 1s
                get greeting max-stale 5s
                get missing
                begin
                get greeting
                put t/1 one
                put t/2 two
                commit
                begin read-only
                get t/1
                scan t/ t/z
                commit
                begin
                put t/3 three
                rollback
                get t/3
                delete greeting
                get greeting
                delete-range t/ t/z
                scan t/ t/z
                status
                ranges
                \\timing
                get bin
                help
                frobnicate
                get
                scan limit -1
                get k at yesterday
                commit
                quit
                """);
        String out = run.out();
        assertTrue(out.contains("OK, committed at "), out);
        assertTrue(out.contains("greeting = hello  (version "), out);
        assertTrue(out.contains("bin = 0x00ff  (version "), out);
        assertTrue(out.contains("\"two words\" = \"a b\"  (version "), out);
        assertTrue(out.contains("rows, read at "), out);
        assertTrue(out.contains("(limit reached; for more: "), out);
        assertTrue(out.contains("missing: not found"), out);
        assertTrue(out.contains("OK, began a read-write transaction"), out);
        assertTrue(out.contains("OK, buffered (2 writes to commit)"), out);
        assertTrue(out.contains("OK, began a read-only transaction reading at "), out);
        assertTrue(out.contains("t/1 = one  (version "), out);
        assertTrue(out.contains("OK, ended the read-only transaction"), out);
        assertTrue(out.contains("OK, rolled back: nothing was written"), out);
        assertTrue(out.contains("t/3: not found"), out);
        assertTrue(out.contains("greeting: not found"), out);
        assertTrue(out.contains("0 rows, read at "), out);
        assertTrue(out.contains("n1") && out.contains("n2") && out.contains("n3"), "status names every node: " + out);
        assertTrue(out.contains("Timing is on."), out);
        assertTrue(out.contains("Time: "), out);
        assertTrue(out.contains("commands:"), out);

        List<String> errors = run.err().lines().filter(line -> line.startsWith("error:")).toList();
        assertEquals(5, errors.size(), "one error line for each bad command: " + run.err());
        assertTrue(errors.get(0).contains("frobnicate"), errors.get(0));
        assertFalse(run.both().contains("Exception") || run.both().contains("\tat "), "no stack trace: " + run.both());
        assertEquals(1, run.exit(), "piped input with failed commands exits 1");
    }

    @Test
    void inputEndingInsideATransactionRollsItBackAndFails() throws Exception {
        Run run = shell(List.of("shell", "--endpoints", endpoints), Map.of(), "begin\nput left/open 1\n");
        assertEquals(1, run.exit(), run.both());
        assertTrue(run.err().contains("the input ended inside a transaction: rolled it back"), run.err());
        Run check = shell(List.of("exec", "--endpoints", endpoints, "get left/open"), Map.of(), "");
        assertEquals(0, check.exit(), check.both());
        assertTrue(check.out().contains("left/open: not found"), check.out());
    }

    @Test
    void aTransactionOutlivesAPauseLongerThanTheServersIdleTimeout() throws Exception {
        // The user pauses 12 s inside a transaction; the server ends a transaction idle for 10 s
        // unless the shell keeps it alive. The pause is the scenario itself, not a wait for a condition.
        Run run = run(shellCommand(List.of("shell", "--endpoints", endpoints)), Map.of(),
                "begin\nget pause/k\n", new Pause("locked until commit or rollback", Duration.ofSeconds(12)),
                "put pause/k after-pause\ncommit\nget pause/k\n");
        assertEquals(0, run.exit(), run.both());
        assertTrue(run.out().contains("OK, committed at "), run.both());
        assertTrue(run.out().contains("pause/k = after-pause  (version "), run.both());
    }

    @Test
    void execStopsAtTheFirstFailedCommand() throws Exception {
        Run ok = shell(List.of("exec", "--endpoints", endpoints, "put script/a 1; get script/a"), Map.of(), "");
        assertEquals(0, ok.exit(), ok.both());
        assertTrue(ok.out().contains("script/a = 1  (version "), ok.out());

        Run failed = shell(List.of("exec", "--endpoints", endpoints, "put script/b 1; get; put script/c 1"), Map.of(), "");
        assertEquals(1, failed.exit(), failed.both());
        Run check = shell(List.of("exec", "--endpoints", endpoints, "get script/b; get script/c"), Map.of(), "");
        assertTrue(check.out().contains("script/b = 1"), check.out());
        assertTrue(check.out().contains("script/c: not found"), "nothing ran after the failed command: " + check.out());
    }

    @Test
    void wrongArgumentsAndUnreachableClustersAreClearErrors() throws Exception {
        Run usage = shell(List.of("shell", "--bogus"), Map.of(), "");
        assertEquals(2, usage.exit(), usage.both());
        assertTrue(usage.err().contains("--bogus"), usage.err());

        Run badEndpoint = shell(List.of("exec", "--endpoints", "no-port-here", "get a"), Map.of(), "");
        assertEquals(2, badEndpoint.exit(), badEndpoint.both());
        assertTrue(badEndpoint.err().contains("no-port-here"), badEndpoint.err());

        Run fromEnvironment = shell(List.of("exec", "get from/env"), Map.of("MERIDIAN_ENDPOINTS", endpoints), "");
        assertEquals(0, fromEnvironment.exit(), fromEnvironment.both());
        assertTrue(fromEnvironment.out().contains("from/env: not found"), fromEnvironment.out());
    }

    @Test
    void anInteractiveSessionOnAPseudoTerminal() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script(1) is not installed; "
                + "it provides the pseudo-terminal this test types into");
        Path history = dir.resolve("history");
        String command = String.join(" ", shellCommand(List.of("shell", "--endpoints", endpoints)).stream()
                .map(ShellIT::shellQuote).toList());
        Run run = run(List.of("script", "-qec", command, "/dev/null"), Map.of("MERIDIAN_HISTORY", history.toString(),
                "TERM", "dumb"), "put pty/key typed\nget pty/key\nbegin\nrollback\nfrobnicate\nquit\n");
        assertEquals(0, run.exit(), "an interactive session ends with 0: " + run.both());
        assertTrue(run.out().contains("meridian> "), "prompts: " + run.out());
        assertTrue(run.out().contains("meridian[rw]> "), "the prompt shows the open transaction: " + run.out());
        assertTrue(run.out().contains("pty/key = typed  (version "), run.out());
        assertTrue(run.out().contains("error:"), "a bad command is an error line: " + run.out());
        assertFalse(run.out().contains("Exception"), run.out());
        String saved = Files.readString(history);
        assertTrue(saved.contains("put pty/key typed") && saved.contains("get pty/key"), "history: " + saved);
    }

    private Run shell(List<String> arguments, Map<String, String> environment, String input) throws Exception {
        return run(shellCommand(arguments), environment, input);
    }

    private static List<String> shellCommand(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.meridian.client.cli.MeridianShell");
        command.addAll(arguments);
        return command;
    }

    /** Once the output shows {@code after}, the user waits {@code length} before typing on. */
    private record Pause(String after, Duration length) {
    }

    private static Run run(List<String> command, Map<String, String> environment, String input) throws Exception {
        return run(command, environment, input, null, "");
    }

    /**
     * Runs {@code command}, writing {@code input} to its standard input, then, if {@code pause}
     * is given, waiting for its output to show {@code pause.after()}, then {@code pause.length()},
     * then writing {@code more}.
     */
    private static Run run(List<String> command, Map<String, String> environment, String input, Pause pause,
            String more) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("MERIDIAN_ENDPOINTS");
        builder.environment().put("MERIDIAN_HISTORY", "");
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuffer printed = new StringBuffer();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream(), printed));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            if (pause != null) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_PATIENCE_SECONDS);
                while (printed.indexOf(pause.after()) < 0) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new AssertionError("the shell never printed '" + pause.after() + "': " + printed);
                    }
                    Thread.sleep(20);
                }
                Thread.sleep(pause.length().toMillis());
                stdin.write(more.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            if (command.getFirst().equals("script")) {
                // script(1) hangs up its terminal when its input ends; the shell reads up to quit first.
                process.waitFor(PROCESS_PATIENCE_SECONDS, TimeUnit.SECONDS);
            }
        }
        if (!process.waitFor(PROCESS_PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the shell did not finish: " + command);
        }
        return new Run(process.exitValue(), out.get(), err.get());
    }

    private static String readAll(java.io.InputStream stream) {
        return readAll(stream, new StringBuffer());
    }

    /** Reads {@code stream} to its end, appending what arrives to {@code seen} as it comes. */
    private static String readAll(java.io.InputStream stream, StringBuffer seen) {
        try (java.io.Reader reader = new java.io.InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                seen.append(buffer, 0, n);
            }
            return seen.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
