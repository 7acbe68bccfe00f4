package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shows how the shell reads a line: words at whitespace, statements at {@code ;}, comments
 * after {@code #}, double quotes with escapes, single quotes literally, pieces joined into one
 * word, {@code 0x} hex literals, and a one-line reason for every malformed line.
 */
class CommandLexerTest {

    @Test
    void wordsSplitAtWhitespaceAndQuotesHoldTheRest() throws Exception {
        assertEquals(List.of(utf8("put"), utf8("a b"), utf8("")), bytes("put \"a b\" \"\""));
        assertEquals(List.of(utf8("日本"), utf8("x")), bytes("  日本\tx  "));
        assertEquals(List.of(utf8("it's"), utf8("x\\n")), bytes("'it'\"'\"'s' 'x\\n'"));
        assertEquals(List.of(utf8("a\\b")), bytes("a\\b"), "a backslash in a bare word is itself");
    }

    @Test
    void doubleQuotesTakeEscapesAndSingleQuotesDoNot() throws Exception {
        assertEquals(List.of(ByteString.copyFrom(new byte[] {'\n', '\r', '\t', '"', '\\', '\'', 0, (byte) 0xfe})),
                bytes("\"\\n\\r\\t\\\"\\\\\\'\\x00\\xFE\""));
        assertEquals(List.of(utf8("\\x00")), bytes("'\\x00'"));
    }

    @Test
    void hexLiteralsAreBytesAndQuotedHexIsText() throws Exception {
        assertEquals(List.of(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0x41})), bytes("0x00fF41"));
        assertEquals(List.of(ByteString.copyFrom(new byte[] {(byte) 0xab})), bytes("0XAB"));
        assertEquals(List.of(ByteString.EMPTY), bytes("0x"));
        assertEquals(List.of(utf8("0x00")), bytes("\"0x00\""));
        Word hex = CommandLexer.statements("0x41").get(0).get(0);
        assertFalse(hex.bare(), "a hex literal is never a keyword");
    }

    @Test
    void onlyBareWordsAreKeywords() throws Exception {
        List<Word> words = CommandLexer.statements("LIMIT \"limit\" 'limit' lim\"it\"").get(0);
        assertTrue(words.get(0).is("limit"));
        assertFalse(words.get(1).is("limit"));
        assertFalse(words.get(2).is("limit"));
        assertFalse(words.get(3).is("limit"));
        assertEquals("", words.get(1).keyword());
    }

    @Test
    void semicolonsSeparateStatementsAndHashStartsAComment() throws Exception {
        List<List<Word>> statements = CommandLexer.statements("put a 1; get a;;get \"b;c\" # get d; get e");
        assertEquals(3, statements.size());
        assertEquals(List.of(utf8("put"), utf8("a"), utf8("1")), statements.get(0).stream().map(Word::bytes).toList());
        assertEquals(List.of(utf8("get"), utf8("a")), statements.get(1).stream().map(Word::bytes).toList());
        assertEquals(List.of(utf8("get"), utf8("b;c")), statements.get(2).stream().map(Word::bytes).toList());
        assertEquals(List.of(utf8("a#b"), utf8("#")), bytes("a#b \"#\""), "# inside a word or quoted is text");
        assertEquals(List.of(), CommandLexer.statements("   "));
        assertEquals(List.of(), CommandLexer.statements("# only a comment"));
        assertEquals(List.of(), CommandLexer.statements(" ; ;"));
    }

    @Test
    void malformedLinesAreRefusedWithAReason() {
        assertEquals("unterminated \" quote", error("get \"abc"));
        assertEquals("unterminated \" quote", error("get \"abc\\"));
        assertEquals("unterminated ' quote", error("get 'abc"));
        assertEquals("unknown escape \\q (the escapes are \\\" \\\\ \\' \\n \\r \\t \\xNN)", error("get \"\\q\""));
        assertEquals("\\x needs two hex digits, as in \\x0a, not '\\xZZ'", error("get \"\\xZZ\""));
        assertEquals("\\x needs two hex digits, as in \\x0a, not '\\x4'", error("get \"\\x4"));
        assertEquals("bad hex literal 0xabc: an odd number of digits (two per byte)", error("get 0xabc"));
        assertEquals("bad hex literal 0xzz: 'z' is not a hex digit (quote it, \"0xzz\", for text)", error("get 0xzz"));
    }

    private static List<ByteString> bytes(String line) throws ShellSyntaxException {
        List<List<Word>> statements = CommandLexer.statements(line);
        assertEquals(1, statements.size(), line);
        return statements.get(0).stream().map(Word::bytes).toList();
    }

    private static String error(String line) {
        return assertThrows(ShellSyntaxException.class, () -> CommandLexer.statements(line)).getMessage();
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
