package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows how the shell runs a whole input and what it exits with: {@code exec} stops at the
 * first failing command and exits 1; piped input goes on after a failure but still exits 1;
 * an interactive session exits 0 whatever failed; input that ends inside a transaction rolls it
 * back and counts as a failure; {@code quit} ends the input early; a wrong shell command line
 * exits 2 with the usage.
 */
class ShellLoopTest {

    private FakeVersionedCluster fake;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeVersionedCluster();
        out = new StringWriter();
        err = new StringWriter();
    }

    @AfterEach
    void disconnect() throws Exception {
        fake.close();
    }

    @Test
    void execStopsAtTheFirstFailure() throws Exception {
        assertEquals(ShellLoop.EXIT_COMMAND_FAILED, run("put a 1\nget a; put b\nput c 3\n", ShellLoop.OnError.STOP));

        assertEquals("error: usage: put <key> <value>\n", err.toString());
        assertTrue(out.toString().startsWith("OK, committed at "), out.toString());
        assertEquals(Optional.empty(), fake.latest(utf8("c")));
    }

    @Test
    void pipedInputGoesOnAfterAFailureButExitsWithFailure() throws Exception {
        assertEquals(ShellLoop.EXIT_COMMAND_FAILED, run("put a 1\nfrobnicate\nput c 3\n", ShellLoop.OnError.CONTINUE_AND_FAIL));

        assertEquals("error: unknown command 'frobnicate' (try help)\n", err.toString());
        assertEquals(Optional.of(utf8("3")), fake.latest(utf8("c")));
    }

    @Test
    void anInteractiveSessionExitsZeroWhateverFailed() throws Exception {
        assertEquals(ShellLoop.EXIT_OK, run("frobnicate\nput c 3\nbegin\n", ShellLoop.OnError.CONTINUE_AND_SUCCEED));
        assertEquals(Optional.of(utf8("3")), fake.latest(utf8("c")));
        assertTrue(err.toString().endsWith("\nrolled back the open transaction: nothing it wrote was committed\n"), err.toString());
    }

    @Test
    void successExitsZeroAndQuitEndsTheInput() throws Exception {
        assertEquals(ShellLoop.EXIT_OK, run("put a 1\n\n# a comment\nquit\nput b 2\n", ShellLoop.OnError.STOP));

        assertEquals("", err.toString());
        assertEquals(Optional.empty(), fake.latest(utf8("b")));
    }

    @Test
    void inputEndingInsideATransactionRollsItBackAndFails() throws Exception {
        assertEquals(ShellLoop.EXIT_COMMAND_FAILED, run("begin\nget a\nput a 1\n", ShellLoop.OnError.CONTINUE_AND_FAIL));

        assertEquals("error: the input ended inside a transaction: rolled it back\n", err.toString());
        assertEquals(0, fake.openTransactions());
        assertEquals(Optional.empty(), fake.latest(utf8("a")));
    }

    @Test
    void aWrongShellCommandLineExitsTwoWithTheUsage() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(stderr, true, StandardCharsets.UTF_8);

        assertEquals(ShellLoop.EXIT_USAGE, MeridianShell.run(new String[] {"exec", "--endpoints", "h:1"}, Map.of(), outStream, errStream));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith(
                "meridian: exec needs the commands to run, e.g. exec \"put a 1; get a\"\nusage: meridian shell"), stderr.toString());
        stderr.reset();
        assertEquals(ShellLoop.EXIT_USAGE, MeridianShell.run(new String[] {"exec", "--endpoints", "nowhere", "get a"}, Map.of(),
                outStream, errStream));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith("meridian: "), stderr.toString());
        assertEquals(ShellLoop.EXIT_OK, MeridianShell.run(new String[] {"shell", "--help"}, Map.of(), outStream, errStream));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("usage: meridian shell"), stdout.toString());
    }

    private int run(String input, ShellLoop.OnError onError) throws Exception {
        ShellSession session = new ShellSession(fake.client(), new PrintWriter(out, true), new PrintWriter(err, true), System::nanoTime);
        return ShellLoop.run(session, LineSource.of(new BufferedReader(new StringReader(input))), onError);
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
