package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.client.Timestamp;
import io.meridian.client.TimestampBound;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shows the shell's grammar: every command with its arguments and options, the bounds of
 * single-use reads and read-only transactions, timestamps and durations in the forms the
 * shell prints them, keywords versus quoted keys, and for every command the one-line error
 * its wrong arguments get.
 */
class CommandParserTest {

    private static final Timestamp TS = Timestamp.ofMicros(1_767_225_600_000_000L);

    @Test
    void readsTakeAKeyOrARangeAndAnOptionalBound() throws Exception {
        assertEquals(new Command.Get(utf8("k"), Optional.empty()), parse("get k"));
        assertEquals(new Command.Get(utf8("limit"), Optional.empty()), parse("get limit"), "get's one argument is always a key");
        assertEquals(new Command.Get(utf8("k"), Optional.of(TimestampBound.exactStaleness(Duration.ofSeconds(10)))),
                parse("GET k stale 10s"));
        assertEquals(new Command.Scan(ByteString.EMPTY, ByteString.EMPTY, 100, false, Optional.empty()), parse("scan"));
        assertEquals(new Command.Scan(utf8("a"), ByteString.EMPTY, 100, false, Optional.empty()), parse("scan a"));
        assertEquals(new Command.Scan(utf8("a"), utf8("m"), 5, true, Optional.of(TimestampBound.readTimestamp(TS))),
                parse("scan a m limit 5 reverse at 1767225600000000"));
        assertEquals(new Command.Scan(utf8("a"), utf8("m"), 5, true, Optional.of(TimestampBound.strong())),
                parse("scan reverse strong limit 5 a m"), "options go in any order");
        assertEquals(new Command.Scan(utf8("limit"), utf8("reverse"), 100, false, Optional.empty()),
                parse("scan \"limit\" 'reverse'"), "a quoted keyword is a key");
        assertEquals(new Command.Scan(ByteString.EMPTY, utf8("m"), 100, false, Optional.empty()), parse("scan \"\" m"));
    }

    @Test
    void boundsAcceptTimestampsAndDurationsInTheirUsualForms() throws Exception {
        assertEquals(Optional.of(TimestampBound.strong()), bound("strong"));
        assertEquals(Optional.of(TimestampBound.readTimestamp(TS)), bound("at 2026-01-01T00:00:00Z"));
        assertEquals(Optional.of(TimestampBound.minReadTimestamp(Timestamp.ofMicros(1_767_225_600_123_456L))),
                bound("min 2026-01-01T00:00:00.123456Z"));
        assertEquals(Optional.of(TimestampBound.maxStaleness(Duration.ofMillis(500))), bound("max-stale 500ms"));
        assertEquals(Optional.of(TimestampBound.exactStaleness(Duration.ofNanos(250_000))), bound("stale 250us"));
        assertEquals(Optional.of(TimestampBound.exactStaleness(Duration.ofMinutes(2))), bound("stale 2m"));
        assertEquals(Optional.of(TimestampBound.exactStaleness(Duration.ofHours(1))), bound("stale 1h"));
    }

    @Test
    void writesTakeKeysAndValuesAsBytes() throws Exception {
        assertEquals(new Command.Put(utf8("k"), ByteString.copyFrom(new byte[] {0, (byte) 0xff})), parse("put k 0x00ff"));
        assertEquals(new Command.Put(utf8("a b"), utf8("")), parse("put \"a b\" \"\""));
        assertEquals(new Command.Delete(utf8("k")), parse("delete k"));
        assertEquals(new Command.DeleteRange(utf8("a"), utf8("b")), parse("delete-range a b"));
        assertEquals(new Command.DeleteRange(utf8("a"), ByteString.EMPTY), parse("delete-range a \"\""));
    }

    @Test
    void transactionAndShellCommands() throws Exception {
        assertEquals(new Command.BeginReadWrite(), parse("begin"));
        assertEquals(new Command.BeginReadWrite(), parse("begin read-write"));
        assertEquals(new Command.BeginReadOnly(TimestampBound.strong()), parse("begin read-only"));
        assertEquals(new Command.BeginReadOnly(TimestampBound.exactStaleness(Duration.ofSeconds(10))), parse("begin read-only stale 10s"));
        assertEquals(new Command.Commit(), parse("commit"));
        assertEquals(new Command.Rollback(), parse("rollback"));
        assertEquals(new Command.Status(), parse("status"));
        assertEquals(new Command.Ranges(), parse("ranges"));
        assertEquals(new Command.Timing(Optional.empty()), parse("\\timing"));
        assertEquals(new Command.Timing(Optional.of(true)), parse("\\timing on"));
        assertEquals(new Command.Timing(Optional.of(false)), parse("\\timing OFF"));
        assertEquals(new Command.Help(), parse("help"));
        assertEquals(new Command.Help(), parse("?"));
        assertEquals(new Command.Quit(), parse("quit"));
        assertEquals(new Command.Quit(), parse("exit"));
        assertEquals(new Command.Quit(), parse("\\q"));
    }

    @Test
    void everyCommandsWrongArgumentsGetItsUsageLine() {
        assertEquals("usage: get <key> [bound]", error("get"));
        assertEquals("usage: get <key> [bound]", error("get a b"));
        assertEquals("usage: get <key> [bound]", error("get a at"));
        assertEquals("usage: scan [<start> [<end>]] [limit <n>] [reverse] [bound]", error("scan a b c"));
        assertEquals("usage: scan [<start> [<end>]] [limit <n>] [reverse] [bound]", error("scan limit"));
        assertEquals("usage: scan [<start> [<end>]] [limit <n>] [reverse] [bound]", error("scan reverse reverse"));
        assertEquals("usage: scan [<start> [<end>]] [limit <n>] [reverse] [bound]", error("scan strong stale 1s"));
        assertEquals("usage: put <key> <value>", error("put a"));
        assertEquals("usage: put <key> <value>", error("put a b c"));
        assertEquals("usage: delete <key>", error("delete"));
        assertEquals("usage: delete-range <start> <end>", error("delete-range a"));
        assertEquals("usage: begin [read-write | read-only [bound]]", error("begin now"));
        assertEquals("usage: begin [read-write | read-only [bound]]", error("begin read-write strong"));
        assertEquals("usage: begin [read-write | read-only [bound]]", error("begin read-only soon"));
        assertEquals("usage: commit", error("commit now"));
        assertEquals("usage: rollback", error("rollback x"));
        assertEquals("usage: status", error("status now"));
        assertEquals("usage: ranges", error("ranges all"));
        assertEquals("usage: \\timing [on | off]", error("\\timing maybe"));
        assertEquals("usage: help", error("help me"));
        assertEquals("usage: quit", error("quit now"));
    }

    @Test
    void badValuesAreNamedWithWhatWouldBeRight() {
        assertEquals("unknown command 'frobnicate' (try help)", error("frobnicate x"));
        assertEquals("unknown command '\"get\"' (try help)", error("\"get\" x"), "a quoted word is never a command");
        assertEquals("bad limit 'x': a whole number of rows, at least 1", error("scan limit x"));
        assertEquals("bad limit '0': a whole number of rows, at least 1", error("scan limit 0"));
        assertEquals("bad limit '99999999999': a whole number of rows, at least 1", error("scan limit 99999999999"));
        assertEquals("bad timestamp 'yesterday': give microseconds since the epoch (1767225600000000) or an instant"
                + " (2026-01-01T00:00:00Z)", error("get k at yesterday"));
        assertTrue(error("get k min 0").startsWith("bad timestamp '0'"));
        assertEquals("bad duration '10': give a whole number and a unit: 250us, 500ms, 10s, 2m, 1h", error("get k stale 10"));
        assertTrue(error("get k max-stale 1.5s").startsWith("bad duration '1.5s'"));
        assertEquals("the range is empty: its end a is not after its start b (\"\" as the end means the end of the keyspace)",
                error("scan b a"));
        assertTrue(error("delete-range b b").startsWith("the range is empty"));
    }

    private static Optional<TimestampBound> bound(String text) throws ShellSyntaxException {
        return ((Command.Get) parse("get k " + text)).bound();
    }

    private static Command parse(String line) throws ShellSyntaxException {
        return CommandParser.parse(CommandLexer.statements(line).get(0));
    }

    private static String error(String line) {
        return assertThrows(ShellSyntaxException.class, () -> parse(line)).getMessage();
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
