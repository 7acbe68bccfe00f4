package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows what a user of the shell sees, through the real SDK against a fake node below it
 * ({@link FakeVersionedCluster}, in process): every read with the timestamp it read at and every commit
 * with its commit timestamp; keys and values as text or hex; scans with limits, reverse order,
 * continuation and stale snapshots; transactions (read-write with locking reads and buffered
 * writes, read-only at one snapshot) and what aborts, ambiguous commits and misuse do to them;
 * cluster tables; {@code \timing}; and for every mistake one {@code error:} line, never a stack
 * trace.
 */
class ShellSessionTest {

    private FakeVersionedCluster fake;
    private StringWriter screen;
    private long nanoTime;
    private ShellSession session;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeVersionedCluster();
        screen = new StringWriter();
        PrintWriter writer = new PrintWriter(screen, true);
        // Each reading of the clock is 1 ms after the last, so \timing prints a known time.
        session = new ShellSession(fake.client(), writer, writer, () -> nanoTime += 1_000_000);
    }

    @AfterEach
    void disconnect() throws Exception {
        fake.close();
    }

    @Test
    void anOpenReadWriteTransactionIsKeptAliveAndNothingElseIs() {
        session.keepOpenTransactionAlive();
        session.execute("begin read-only; get a");
        session.keepOpenTransactionAlive();
        session.execute("commit; begin; get a");
        session.keepOpenTransactionAlive();
        session.execute("rollback");
        session.keepOpenTransactionAlive();

        assertEquals(1, fake.calls().stream().filter("KeepAlive"::equals).count(), fake.calls().toString());
    }

    @Test
    void putThenGetShowsTheValueAndTheTimestampsUsed() {
        assertEquals(ShellSession.Outcome.OK, session.execute("put greeting hello"));
        session.execute("get greeting");
        session.execute("get missing");

        assertOutput(
                "OK, committed at " + ts(1),
                "greeting = hello  (version " + micros(1) + ")",
                "read at " + ts(2),
                "missing: not found",
                "read at " + ts(3));
    }

    @Test
    void keysAndValuesArePrintedAsTextWhenPrintableAndAsHexOtherwise() {
        session.execute("put \"a key\" 0x00ff; put 0x6b31 \"line\\n\"; put ключ значение");
        String out = run("get \"a key\"", "get k1", "get ключ");

        assertTrue(out.contains("\"a key\" = 0x00ff  (version "), out);
        assertTrue(out.contains("k1 = \"line\\n\"  (version "), out);
        assertTrue(out.contains("ключ = значение  (version "), out);
        assertEquals(Optional.of(ByteString.copyFrom(new byte[] {0, (byte) 0xff})), fake.latest(utf8("a key")));
    }

    @Test
    void deleteAndDeleteRangeCommitAndTheKeysAreGone() {
        session.execute("put a 1; put b 2; put c 3; put d 4");
        String out = run("delete a", "delete-range b d", "scan");

        assertLines(out,
                "OK, committed at " + ts(5),
                "OK, committed at " + ts(6),
                "d = 4  (version " + micros(4) + ")",
                "1 row, read at " + ts(7));
        assertEquals(Optional.empty(), fake.latest(utf8("b")));
    }

    @Test
    void scanReadsEveryPageAtOneSnapshotAndHonoursItsLimitsAndDirection() {
        session.execute("put a 1; put b 2; put c 3; put d 4; put e 5");

        assertLines(run("scan b e"),
                "b = 2  (version " + micros(2) + ")",
                "c = 3  (version " + micros(3) + ")",
                "d = 4  (version " + micros(4) + ")",
                "3 rows, read at " + ts(6));
        assertLines(run("scan a limit 2"),
                "a = 1  (version " + micros(1) + ")",
                "b = 2  (version " + micros(2) + ")",
                "2 rows, read at " + ts(7),
                "(limit reached; for more: scan c limit 2 at " + micros(7) + ")");
        assertLines(run("scan \"\" d reverse limit 2"),
                "c = 3  (version " + micros(3) + ")",
                "b = 2  (version " + micros(2) + ")",
                "2 rows, read at " + ts(8),
                "(limit reached; for more: scan \"\" b limit 2 reverse at " + micros(8) + ")");
        // The continuation reads the rest at the same snapshot.
        assertLines(run("scan \"\" b limit 2 reverse at " + micros(8)),
                "a = 1  (version " + micros(1) + ")",
                "1 row, read at " + ts(8));
        assertLines(run("scan x"), "0 rows, read at " + ts(9));
    }

    @Test
    void singleUseReadsAtABoundSeeTheSnapshotTheyAskFor() {
        session.execute("put k old; put k new");

        assertLines(run("get k at " + micros(1)), "k = old  (version " + micros(1) + ")", "read at " + ts(1));
        assertLines(run("get k at 2026-01-01T00:00:00.002Z"), "k = new  (version " + micros(2) + ")", "read at " + ts(2));
        assertLines(run("scan k stale 1ms"), "k = old  (version " + micros(1) + ")", "1 row, read at " + ts(1));
        assertLines(run("get k min " + micros(1)), "k = new  (version " + micros(2) + ")", "read at " + ts(2));
        assertLines(run("get k max-stale 10s"), "k = new  (version " + micros(2) + ")", "read at " + ts(2));
        assertLines(run("get k strong"), "k = new  (version " + micros(2) + ")", "read at " + ts(3));
    }

    @Test
    void aReadWriteTransactionLocksItsReadsAndBuffersItsWritesUntilCommit() {
        session.execute("put balance 10");

        assertEquals("meridian> ", session.prompt());
        String out = run("begin", "get balance", "put balance 20", "delete other");
        assertEquals("meridian[rw]> ", session.prompt());
        assertEquals(Optional.of(utf8("10")), fake.latest(utf8("balance")), "nothing is written before commit");
        out += run("commit");

        assertTrue(out.startsWith("OK, began a read-write transaction: reads lock what they read, writes wait for commit\n"
                + "balance = 10  (version " + micros(1) + ")\n"), out);
        assertTrue(Pattern.compile("read at \\d+ \\([^)]+\\), locked until commit or rollback\n").matcher(out).find(), out);
        assertTrue(out.contains("OK, buffered (1 write to commit)\nOK, buffered (2 writes to commit)\n"), out);
        assertTrue(Pattern.compile("OK, committed at \\d+ \\([^)]+\\) \\(2 writes\\)\n$").matcher(out).find(), out);
        assertEquals(Optional.of(utf8("20")), fake.latest(utf8("balance")));
        assertEquals("meridian> ", session.prompt());
        assertEquals(0, fake.openTransactions());
    }

    @Test
    void rollbackWritesNothing() {
        String out = run("begin", "put k v", "rollback", "get k");

        assertTrue(out.contains("OK, rolled back: nothing was written\nk: not found\n"), out);
        assertEquals(Optional.empty(), fake.latest(utf8("k")));
    }

    @Test
    void aReadOnlyTransactionReadsOneSnapshotAndRefusesWrites() {
        session.execute("put k old");
        String out = run("begin read-only", "put k new");
        assertEquals("meridian[ro]> ", session.prompt());
        out += run("commit; put k new", "begin read-only at " + micros(1), "get k", "scan", "get k stale 1s", "rollback");

        assertLines(out,
                "OK, began a read-only transaction reading at " + ts(2),
                "error: the transaction is read-only: commit or rollback it before writing",
                "OK, ended the read-only transaction (it read at " + ts(2) + ")",
                "OK, committed at " + ts(3),
                "OK, began a read-only transaction reading at " + ts(1),
                "k = old  (version " + micros(1) + ")",
                "read at " + ts(1),
                "k = old  (version " + micros(1) + ")",
                "1 row, read at " + ts(1),
                "error: a bound is for reads outside a transaction; in a transaction every read uses the transaction's own"
                        + " (commit or rollback first)",
                "OK, ended the read-only transaction");
        assertEquals(0, fake.openTransactions());
    }

    @Test
    void transactionCommandsOutOfPlaceAreRefused() {
        assertLines(run("commit", "rollback", "begin", "begin read-only", "get k at " + micros(1)),
                "error: no transaction is open (begin starts one)",
                "error: no transaction is open (begin starts one)",
                "OK, began a read-write transaction: reads lock what they read, writes wait for commit",
                "error: a transaction is already open (commit or rollback it first)",
                "error: a bound is for reads outside a transaction; in a transaction every read uses the transaction's own"
                        + " (commit or rollback first)");
        assertEquals("meridian[rw]> ", session.prompt(), "a refused command leaves the transaction open");
    }

    @Test
    void anAbortedCommitEndsTheTransactionAndSaysSo() {
        fake.failNext("Commit", FakeVersionedCluster.aborted("wounded by an older transaction"));
        String out = run("begin", "get k", "put k v", "commit");

        assertTrue(out.endsWith("error: ABORTED: wounded by an older transaction [WOUNDED]; the transaction did not commit"
                + " and is over (begin again to retry)\n"), out);
        assertEquals("meridian> ", session.prompt());
        assertEquals(Optional.empty(), fake.latest(utf8("k")));
    }

    @Test
    void anAbortedReadEndsTheTransactionToo() {
        session.execute("begin; put k v");
        fake.failNext("Read", FakeVersionedCluster.aborted("wounded by an older transaction"));
        String out = run("get k");

        assertEquals("error: ABORTED: wounded by an older transaction [WOUNDED]; the transaction was aborted and is over"
                + " (begin again to retry)\n", out);
        assertEquals("meridian> ", session.prompt());
    }

    @Test
    void anAmbiguousCommitIsReportedAsSuchAndNotRetried() {
        fake.failNext("Commit", Status.UNKNOWN.withDescription("the coordinator went away").asRuntimeException());
        String single = run("put k v");
        fake.failNext("Commit", Status.UNKNOWN.withDescription("the coordinator went away").asRuntimeException());
        String inTransaction = run("begin", "get k", "put k v", "commit");

        assertTrue(single.startsWith("error: ambiguous commit: UNKNOWN: "), single);
        assertTrue(single.endsWith("the coordinator went away; the write may or may not have committed: read the key to find out\n"), single);
        assertTrue(inTransaction.contains("error: ambiguous commit: UNKNOWN: "), inTransaction);
        assertTrue(inTransaction.endsWith("; the transaction may or may not have committed: read what it wrote to find out\n"),
                inTransaction);
        assertEquals(2, fake.calls().stream().filter("Commit"::equals).count(), "an ambiguous commit is sent once");
        assertEquals("meridian> ", session.prompt());
    }

    @Test
    void serverRefusalsShowTheirCodeMessageAndDetails() {
        fake.failNext("Commit", FakeVersionedCluster.keyTooLong());

        assertLines(run("put k v", "get k at 1"),
                "error: INVALID_ARGUMENT: key too long [limit KEY_BYTES: 481 > 480]",
                "error: FAILED_PRECONDITION: read timestamp 1 is below the retained history (horizon "
                        + FakeVersionedCluster.HORIZON_MICROS + ")");
    }

    @Test
    void aClusterThatStaysUnavailableIsOneErrorLineOnceTheSdkGivesUp() {
        for (int i = 0; i < 10_000; i++) {
            fake.failNext("Read", FakeVersionedCluster.nodeError(Status.Code.UNAVAILABLE, "UNAVAILABLE", Map.of(), "no leader for group 7"));
        }
        String out = run("get k");

        assertTrue(out.startsWith("error: ") && out.contains("UNAVAILABLE") && out.contains("no leader for group 7"), out);
        assertEquals(1, out.lines().count(), out);
        assertNoStackTrace(out);
    }

    @Test
    void statusAndRangesShowTheClusterAndAFailingCallDoesNotHideTheOthers() {
        assertEquals(ShellSession.Outcome.OK, session.execute("ranges"));
        fake.failNext("ListGroups", FakeVersionedCluster.nodeError(Status.Code.UNIMPLEMENTED, "NOT_SERVED_YET", Map.of(),
                "ListGroups is not served yet"));
        assertEquals(ShellSession.Outcome.FAILED, session.execute("status"));

        List<String> ranges = List.of(
                "ranges",
                "  range  span       group  leader  replicas  bytes",
                "  1      [-inf, m)  1      n1      n1,n2,n3  ?",
                "  2      [m, +inf)  1      (none)  n1,n2,n3  4096");
        List<String> status = new ArrayList<>(ranges);
        status.addAll(List.of(
                "nodes",
                "  node  address         region  zone  health   epsilon",
                "  n1    127.0.0.1:7101  local   z1    serving  250 us",
                "  n2    127.0.0.1:7102  local   z2    serving  250 us",
                "  n3    127.0.0.1:7103  local   z3    FENCED   12.500 ms",
                "groups",
                "  error: UNIMPLEMENTED: ListGroups is not served yet"));
        status.addAll(ranges);
        assertOutput(status.toArray(String[]::new));
    }

    @Test
    void timingPrintsEachCommandsElapsedTime() {
        assertLines(run("\\timing", "put k v", "\\timing off", "get k"),
                "Timing is on.",
                "OK, committed at " + ts(1),
                "Time: 1.000 ms",
                "Timing is off.",
                "k = v  (version " + micros(1) + ")",
                "read at " + ts(2));
    }

    @Test
    void mistakesGetOneErrorLineAndALineStopsAtItsFirstFailure() {
        assertEquals(ShellSession.Outcome.FAILED, session.execute("put a 1; frobnicate; put b 2"));
        assertEquals(ShellSession.Outcome.FAILED, session.execute("get \"open"));
        assertEquals(ShellSession.Outcome.FAILED, session.execute("get 0xabc"));
        assertEquals(ShellSession.Outcome.FAILED, session.execute("put a"));
        assertEquals(ShellSession.Outcome.OK, session.execute("   # nothing to do"));

        assertLines(screen.toString(),
                "OK, committed at " + ts(1),
                "error: unknown command 'frobnicate' (try help)",
                "error: unterminated \" quote",
                "error: bad hex literal 0xabc: an odd number of digits (two per byte)",
                "error: usage: put <key> <value>");
        assertEquals(Optional.empty(), fake.latest(utf8("b")), "nothing after the failure ran");
        assertNoStackTrace(screen.toString());
    }

    @Test
    void helpListsEveryCommandAndQuitEndsTheSession() {
        assertEquals(ShellSession.Outcome.OK, session.execute("help"));
        assertEquals(ShellSession.Outcome.QUIT, session.execute("quit"));
        assertEquals(ShellSession.Outcome.QUIT, session.execute("put a 1; exit; put b 2"));

        String help = screen.toString();
        for (CommandGrammar.Verb verb : CommandGrammar.Verb.values()) {
            assertTrue(help.contains("  " + verb.usage() + " "), verb + " missing from help:\n" + help);
        }
        assertTrue(help.contains("max-stale <duration>"), help);
        assertEquals(Optional.empty(), fake.latest(utf8("b")));
    }

    @Test
    void endingTheSessionRollsBackAnOpenTransaction() {
        assertFalse(session.end(true));
        session.execute("begin; get k; put k v");
        assertEquals(1, fake.openTransactions());

        assertTrue(session.end(true));
        assertTrue(screen.toString().endsWith("error: the input ended inside a transaction: rolled it back\n"), screen.toString());
        assertEquals(0, fake.openTransactions());
        assertEquals(Optional.empty(), fake.latest(utf8("k")));
        session.execute("begin read-only");
        assertTrue(session.end(false));
        assertTrue(screen.toString().endsWith("\nrolled back the open transaction: nothing it wrote was committed\n"),
                screen.toString());
        assertEquals(0, fake.openTransactions());
    }

    /** Runs lines and returns what they printed. */
    private String run(String... lines) {
        int start = screen.getBuffer().length();
        for (String line : lines) {
            session.execute(line);
        }
        return screen.getBuffer().substring(start);
    }

    private void assertOutput(String... lines) {
        assertLines(screen.toString(), lines);
    }

    private static void assertLines(String out, String... lines) {
        assertEquals(String.join("\n", lines) + "\n", out);
        assertNoStackTrace(out);
    }

    private static void assertNoStackTrace(String out) {
        assertFalse(Pattern.compile("\\tat |Exception|\\bat [a-z]+\\.[a-zA-Z.$]+\\(").matcher(out).find(), out);
    }

    /** The fake's n-th tick, in microseconds. */
    private static long micros(int tick) {
        return FakeVersionedCluster.CLOCK_START_MICROS + tick * 1_000L;
    }

    /** The fake's n-th tick as the shell prints a timestamp. */
    private static String ts(int tick) {
        return ShellText.timestamp(micros(tick));
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
