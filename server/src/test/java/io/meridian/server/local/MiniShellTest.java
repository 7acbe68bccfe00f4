package io.meridian.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.api.v1.TransactionSelector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows what a user of {@code bin/meridian}'s shell sees, against a fake node below the shell's
 * gRPC seam: answers with the timestamp they were read or committed at, quoting and escaping of
 * keys and values (bytes reach the server exactly as typed), scans paged at one snapshot, status
 * tables, errors as a gRPC code and message (with status details, and the ambiguity of an
 * unknown commit) but never a stack trace, usage messages, prompts only for a terminal, and the
 * ways to leave.
 */
class MiniShellTest {

    private FakeMeridian fake;
    private ManagedChannel channel;
    private MiniShell shell;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeMeridian();
        channel = ManagedChannelBuilder.forTarget(fake.target()).usePlaintext().build();
        shell = new MiniShell(channel, Duration.ofSeconds(5));
    }

    @AfterEach
    void disconnect() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        fake.close();
    }

    @Test
    void putThenGetShowsTheValueAndTheTimestampsUsed() throws Exception {
        String out = session("put greeting hello\nget greeting\nget missing\n");

        // The fake's clock starts at 2026-01-01T00:00:00Z and ticks 1 ms per request.
        assertLines(out,
                "OK, committed at 1767225600001000 (2026-01-01T00:00:00.001Z)",
                "greeting = hello  (version 1767225600001000)",
                "read at 1767225600002000 (2026-01-01T00:00:00.002Z)",
                "missing: not found",
                "read at 1767225600003000 (2026-01-01T00:00:00.003Z)");
    }

    @Test
    void deleteRemovesTheKeyAndSaysWhenItCommitted() throws Exception {
        String out = session("put k v\ndelete k\nget k\n");

        assertTrue(out.contains("OK, deleted k (if it existed), committed at 1767225600002000 (2026-01-01T00:00:00.002Z)"), out);
        assertTrue(out.contains("k: not found"), out);
        assertEquals(null, fake.value(utf8("k")));
    }

    @Test
    void quotedWordsAndEscapesReachTheServerAsBytesAndArePrintedBackTheSameWay() throws Exception {
        String out = session("put \"a key\" \"tab\\there\\x00\\xff\"\nput 'it''s' \"\"\nget \"a key\"\nget its\nput ключ значение\nget ключ\n");

        assertEquals(ByteString.copyFrom(new byte[] {'t', 'a', 'b', '\t', 'h', 'e', 'r', 'e', 0, (byte) 0xff}), fake.value(utf8("a key")));
        assertEquals(ByteString.EMPTY, fake.value(utf8("its")));
        assertTrue(out.contains("\"a key\" = \"tab\\there\\x00\\xff\"  (version "), out);
        assertTrue(out.contains("its = \"\"  (version "), out);
        assertTrue(out.contains("ключ = значение  (version "), out);
    }

    @Test
    void scanPagesThroughTheRangeAtTheFirstPagesTimestamp() throws Exception {
        session("put a 1\nput b 2\nput c 3\nput d 4\nput e 5\n");
        String out = session("scan \"\"\n");

        assertLines(out, "a = 1  (version 1767225600001000)", "b = 2  (version 1767225600002000)",
                "c = 3  (version 1767225600003000)", "d = 4  (version 1767225600004000)",
                "e = 5  (version 1767225600005000)", "5 rows, read at 1767225600006000 (2026-01-01T00:00:00.006Z)");
        // Five rows at two per page: a strong first page, then two pages at exactly its timestamp.
        List<TransactionSelector> selectors = fake.readSelectors();
        assertEquals(3, selectors.size(), selectors.toString());
        assertTrue(selectors.get(0).getSingleUse().getStrong());
        assertEquals(1767225600006000L, selectors.get(1).getSingleUse().getReadTimestamp().getMicros());
        assertEquals(1767225600006000L, selectors.get(2).getSingleUse().getReadTimestamp().getMicros());
    }

    @Test
    void scanHonoursEndAndLimitAndSaysHowToContinue() throws Exception {
        session("put a 1\nput b 2\nput c 3\nput d 4\nput e 5\n");

        assertLines(session("scan b d\n"), "b = 2  (version 1767225600002000)", "c = 3  (version 1767225600003000)",
                "2 rows, read at 1767225600006000 (2026-01-01T00:00:00.006Z)");
        String limited = session("scan a \"\" 3\n");
        assertTrue(limited.contains("3 rows, read at "), limited);
        assertTrue(limited.contains("(limit reached; more from d: scan d)"), limited);
        assertTrue(session("scan a z 0\n").contains("error: the limit must be a positive whole number, not 0"));
    }

    @Test
    void statusShowsNodesAndRangesAndAFailingCallDoesNotHideTheOthers() throws Exception {
        String out = session("status\n");

        assertLines(out,
                "nodes",
                "  node  address         region  zone  health   epsilon",
                "  n1    127.0.0.1:7101  local   z1    serving  250 us",
                "  n2    127.0.0.1:7102  local   z2    serving  250 us",
                "  n3    127.0.0.1:7103  local   z3    FENCED   12.500 ms",
                "ranges",
                "  range  span       group  leader  replicas  bytes",
                "  1      [-inf, m)  1      n1      n1,n2,n3  ?",
                "  2      [m, +inf)  1      (none)  n1,n2,n3  4096",
                "groups",
                "  error: UNIMPLEMENTED: ListGroups is not served yet");
        assertEquals(List.of("  group  leader  replicas  ranges", "  5      n2      n1,n2,n3  1,2"),
                StatusView.groups(List.of(FakeMeridian.group(5, "n2"))));
    }

    @Test
    void errorsShowTheCodeMessageAndDetailsButNoStackTrace() throws Exception {
        String out = session("get !leaderless\nput !ambiguous x\nput !huge-key x\n");

        assertLines(out,
                "error: UNAVAILABLE: no leader for group 7 [group 7 leader: n2 at 127.0.0.1:7102]",
                "error: UNKNOWN: the coordinator went away (the outcome is unknown: the write may or may not have"
                        + " committed; read the key to find out)",
                "error: INVALID_ARGUMENT: key too long [limit key bytes: 9 > 480]");
        assertNoStackTrace(out);
    }

    @Test
    void anUnreachableNodeIsAnErrorLineNotAStackTrace() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LocalCluster.HOST))) {
            closedPort = socket.getLocalPort();
        }
        ManagedChannel nowhere = ManagedChannelBuilder.forTarget(LocalCluster.HOST + ":" + closedPort).usePlaintext().build();
        try {
            String out = run(new MiniShell(nowhere, Duration.ofSeconds(5)), "get a\nstatus\n", false);
            assertTrue(out.startsWith("error: UNAVAILABLE"), out);
            assertTrue(out.contains("nodes\n  error: UNAVAILABLE"), out);
            assertNoStackTrace(out);
        } finally {
            nowhere.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void mistakesGetAUsageLineAndTheShellGoesOn() throws Exception {
        String out = session("get\nput a\nscan\nstatus now\nfrobnicate x\nput \"open x\n\n# a comment\nget a b\nhelp\n");

        assertLines(out.lines().limit(7).toList().toArray(String[]::new),
                "usage: get <key>", "usage: put <key> <value>", "usage: scan <start> [end] [limit]", "usage: status",
                "error: unknown command 'frobnicate' (try help)", "error: unterminated \" quote", "usage: get <key>");
        assertTrue(out.contains("scan <start> [end] [limit]  keys in [start, end)"), out);
    }

    @Test
    void promptsOnlyForATerminalAndEndsOnQuitOrEndOfInput() throws Exception {
        assertEquals("OK, committed at 1767225600001000 (2026-01-01T00:00:00.001Z)\n", session("put a 1\n"));
        assertEquals("meridian> OK, committed at 1767225600002000 (2026-01-01T00:00:00.002Z)\nmeridian> \n",
                run(shell, "put a 2\n", true));
        // Nothing after quit runs.
        assertEquals("", session("quit\nput a 3\n"));
        assertEquals(utf8("2"), fake.value(utf8("a")));
        assertEquals("", session(""));
    }

    private String session(String input) throws Exception {
        return run(shell, input, false);
    }

    private static String run(MiniShell shell, String input, boolean prompt) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        shell.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), prompt);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertLines(String out, String... expected) {
        assertEquals(String.join("\n", expected) + "\n", out);
    }

    private static void assertLines(String[] actual, String... expected) {
        assertEquals(List.of(expected), List.of(actual));
    }

    private static void assertNoStackTrace(String out) {
        assertFalse(Pattern.compile("\\bat [a-z]+\\.[a-zA-Z.$]+\\(|Exception|\\tat ").matcher(out).find(), out);
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
