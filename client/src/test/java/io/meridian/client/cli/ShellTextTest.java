package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Shows how the shell prints keys and values: printable UTF-8 as text (bare when it is one plain
 * word, quoted otherwise), anything else as {@code 0x} hex; and, for any bytes at all (a seeded
 * property; replay with {@code -Dcli.seed=N}), that what it prints reads back as the same bytes.
 */
class ShellTextTest {

    @Test
    void plainWordsPrintBare() {
        assertEquals("user/42", show(utf8("user/42")));
        assertEquals("ключ", show(utf8("ключ")));
        assertEquals("a#b", show(utf8("a#b")));
    }

    @Test
    void textThatIsNotOnePlainWordIsQuoted() {
        assertEquals("\"\"", show(ByteString.EMPTY));
        assertEquals("\"a b\"", show(utf8("a b")));
        assertEquals("\"say \\\"hi\\\"\"", show(utf8("say \"hi\"")));
        assertEquals("\"line\\n\\ttab\\r\"", show(utf8("line\n\ttab\r")));
        assertEquals("\"c:\\\\dir\"", show(utf8("c:\\dir")));
        assertEquals("\"it's\"", show(utf8("it's")));
        assertEquals("\"a;b\"", show(utf8("a;b")), "a bare ; would end the statement");
        assertEquals("\"#tag\"", show(utf8("#tag")), "a bare # would start a comment");
        assertEquals("\"0x41\"", show(utf8("0x41")), "a bare 0x41 would be a hex literal");
        assertEquals("\"limit\"", show(utf8("limit")), "a bare limit would be a keyword in scan");
        assertEquals("\"Reverse\"", show(utf8("Reverse")));
    }

    @Test
    void bytesThatAreNotPrintableTextPrintAsHex() {
        assertEquals("0x0001ffc3", show(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff, (byte) 0xc3})));
        assertEquals("0x61006200", show(utf8("a\0b\0")), "a control character makes the whole value hex");
        assertEquals("0xe2808b", show(utf8("\u200b")), "an invisible format character is not printable");
        assertEquals("0xc2a0", show(utf8("\u00a0")), "a no-break space is not printable");
    }

    @Test
    void whateverTheBytesWhatIsPrintedReadsBackAsTheSameBytes() throws Exception {
        long seed = Long.getLong("cli.seed", System.nanoTime());
        Random random = new Random(seed);
        String[] pieces = {"a", " ", "\"", "\\", "'", "#", ";", "é", "日", "\u200b", "😀", "\n", "x y", "0x", "limit", "\t"};
        for (int i = 0; i < 5_000; i++) {
            ByteString bytes = random.nextBoolean() ? randomBytes(random) : randomText(random, pieces);
            String shown = show(bytes);
            List<List<Word>> statements = CommandLexer.statements("get " + shown);
            assertEquals(List.of(utf8("get"), bytes), statements.get(0).stream().map(Word::bytes).toList(),
                    "seed " + seed + " (replay with -Dcli.seed=" + seed + "): " + shown);
            Word word = statements.get(0).get(1);
            assertEquals(false, word.bare() && CommandGrammar.isReservedWord(word.keyword()),
                    "seed " + seed + ": a printed key must never read as a keyword: " + shown);
        }
    }

    @Test
    void timestampsShowMicrosAndTheInstant() {
        assertEquals("1767225600123456 (2026-01-01T00:00:00.123456Z)", ShellText.timestamp(1_767_225_600_123_456L));
        assertEquals("1767225600000000 (2026-01-01T00:00:00Z)", ShellText.timestamp(1_767_225_600_000_000L));
    }

    @Test
    void durationsAndEpsilonShowTheirUnits() {
        assertEquals("12.345 ms", ShellText.millis(Duration.ofNanos(12_345_000)));
        assertEquals("250 us", ShellText.epsilon(250));
        assertEquals("12.500 ms", ShellText.epsilon(12_500));
    }

    private static String show(ByteString bytes) {
        return ShellText.show(bytes);
    }

    private static ByteString randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(12)];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    private static ByteString randomText(Random random, String[] pieces) {
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return utf8(text.toString());
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
