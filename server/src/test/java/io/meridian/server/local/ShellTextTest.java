package io.meridian.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.Timestamp;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Shows how the shell reads words and prints keys and values: plain text stays bare, anything
 * else is quoted with escapes, and for any bytes at all (a seeded property; replay with
 * {@code -Dserver.seed=N}) what the shell prints reads back as the same bytes.
 */
class ShellTextTest {

    @Test
    void wordsSplitAtWhitespaceAndQuotesHoldTheRest() {
        assertEquals(List.of(utf8("put"), utf8("a b"), utf8("")), ShellText.words("put \"a b\" \"\""));
        assertEquals(List.of(utf8("it's"), utf8("x\\n")), ShellText.words("'it'\"'\"'s' 'x\\n'"));
        assertEquals(List.of(ByteString.copyFrom(new byte[] {'\n', '\t', '"', '\\', 0, (byte) 0xfe})),
                ShellText.words("\"\\n\\t\\\"\\\\\\x00\\xFE\""));
        assertEquals(List.of(utf8("日本"), utf8("x")), ShellText.words("  日本\tx  "));
        assertEquals(List.of(), ShellText.words("   "));
    }

    @Test
    void malformedQuotesAndEscapesAreRefusedWithAReason() {
        assertEquals("unterminated \" quote", assertThrows(IllegalArgumentException.class, () -> ShellText.words("\"abc")).getMessage());
        assertEquals("unterminated ' quote", assertThrows(IllegalArgumentException.class, () -> ShellText.words("'abc")).getMessage());
        assertEquals("unknown escape \\q", assertThrows(IllegalArgumentException.class, () -> ShellText.words("\"\\q\"")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellText.words("\"\\xZZ\""));
        assertThrows(IllegalArgumentException.class, () -> ShellText.words("\"\\x4"));
    }

    @Test
    void plainTextIsPrintedBareAndEverythingElseQuotedAndEscaped() {
        assertEquals("user/42", ShellText.show(utf8("user/42")));
        assertEquals("ключ", ShellText.show(utf8("ключ")));
        assertEquals("\"\"", ShellText.show(ByteString.EMPTY));
        assertEquals("\"a b\"", ShellText.show(utf8("a b")));
        assertEquals("\"say \\\"hi\\\"\"", ShellText.show(utf8("say \"hi\"")));
        assertEquals("\"\\x00\\x01\\xff\\xc3\"", ShellText.show(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff, (byte) 0xc3})));
        assertEquals("\"line\\n\"", ShellText.show(utf8("line\n")));
        assertEquals("\"\\xe2\\x80\\x8b\"", ShellText.show(utf8("\u200b")), "an invisible format character is escaped");
        assertEquals("\"#tag\"", ShellText.show(utf8("#tag")), "a bare # would start a comment");
    }

    @Test
    void whateverTheBytesWhatIsPrintedReadsBackAsTheSameBytes() {
        long seed = Long.getLong("server.seed", System.nanoTime());
        System.out.println("ShellTextTest seed " + seed + " (replay with -Dserver.seed=" + seed + ")");
        Random random = new Random(seed);
        String[] pieces = {"a", " ", "\"", "\\", "'", "#", "é", "日", "\u200b", "😀", "\n", "x y"};
        for (int i = 0; i < 5_000; i++) {
            ByteString bytes = random.nextBoolean() ? randomBytes(random) : randomText(random, pieces);
            String shown = ShellText.show(bytes);
            assertEquals(List.of(bytes), ShellText.words(shown), "seed " + seed + ": " + shown);
        }
    }

    @Test
    void timestampsShowMicrosAndTheInstant() {
        assertEquals("1767225600123456 (2026-01-01T00:00:00.123456Z)",
                ShellText.timestamp(Timestamp.newBuilder().setMicros(1_767_225_600_123_456L).build()));
        assertEquals("unknown", ShellText.timestamp(Timestamp.getDefaultInstance()));
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
