package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits a command line into statements and words.
 *
 * <ul>
 *   <li>Words are separated by whitespace; statements by {@code ;}; a {@code #} that starts a
 *       word starts a comment running to the end of the line.</li>
 *   <li>{@code "..."} holds anything, with the escapes {@code \" \\ \' \n \r \t} and
 *       {@code \xNN} (one raw byte); {@code '...'} holds anything literally, without escapes.
 *       Quoted and bare pieces written together make one word: {@code 'it'"'"'s'} is
 *       {@code it's}. {@code ""} is the empty word.</li>
 *   <li>A bare word starting with {@code 0x} is a hex literal: {@code 0x00ff} is the two bytes
 *       0 and 255, {@code 0x} the empty string. A quoted {@code "0x00"} is text.</li>
 *   <li>A bare word is UTF-8 text, backslashes included.</li>
 * </ul>
 *
 * <p>{@link ShellText#show} writes bytes in a form this lexer reads back exactly. Stateless.
 */
final class CommandLexer {

    private static final String HEX_PREFIX = "0x";

    private CommandLexer() {
    }

    /**
     * Splits a line into its statements, leaving out empty ones (a blank line, a comment,
     * {@code ;;}).
     *
     * @param line one line of input
     * @return the statements, each a non-empty list of words, in order
     * @throws ShellSyntaxException on an unterminated quote, a bad escape or a bad hex literal
     */
    static List<List<Word>> statements(String line) throws ShellSyntaxException {
        List<List<Word>> statements = new ArrayList<>();
        List<Word> words = new ArrayList<>();
        WordBuilder word = new WordBuilder();
        int i = 0;
        while (i < line.length()) {
            int c = line.codePointAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                word.finishInto(words);
                if (c == ';') {
                    endStatement(words, statements);
                }
                i += Character.charCount(c);
            } else if (c == '#' && word.isEmpty()) {
                break;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new ShellSyntaxException("unterminated ' quote");
                }
                word.quoted(line.substring(i, end + 1), line.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
                i = end + 1;
            } else {
                word.bare(c);
                i += Character.charCount(c);
            }
        }
        word.finishInto(words);
        endStatement(words, statements);
        return statements;
    }

    private static void endStatement(List<Word> words, List<List<Word>> statements) {
        if (!words.isEmpty()) {
            statements.add(List.copyOf(words));
            words.clear();
        }
    }

    /** Reads a {@code "..."} piece starting after its quote; returns the index after the closing quote. */
    private static int doubleQuoted(String line, int from, WordBuilder word) throws ShellSyntaxException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = from;
        while (i < line.length()) {
            int c = line.codePointAt(i);
            if (c == '"') {
                word.quoted(line.substring(from - 1, i + 1), bytes.toByteArray());
                return i + 1;
            }
            if (c != '\\') {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
                continue;
            }
            if (i + 1 >= line.length()) {
                break;
            }
            char escaped = line.charAt(i + 1);
            switch (escaped) {
                case '"', '\\', '\'' -> bytes.write(escaped);
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'x' -> {
                    String digits = line.substring(i + 2, Math.min(i + 4, line.length()));
                    if (digits.length() < 2 || !HexFormat.isHexDigit(digits.charAt(0)) || !HexFormat.isHexDigit(digits.charAt(1))) {
                        throw new ShellSyntaxException("\\x needs two hex digits, as in \\x0a, not '\\x" + digits + "'");
                    }
                    bytes.write(HexFormat.fromHexDigits(digits));
                    i += 2;
                }
                default -> throw new ShellSyntaxException("unknown escape \\" + escaped
                        + " (the escapes are \\\" \\\\ \\' \\n \\r \\t \\xNN)");
            }
            i += 2;
        }
        throw new ShellSyntaxException("unterminated \" quote");
    }

    /**
     * Decodes a hex literal.
     *
     * @param literal a word starting with {@code 0x}
     * @return its bytes
     * @throws ShellSyntaxException if the digits are not hex or odd in number
     */
    private static ByteString hex(String literal) throws ShellSyntaxException {
        String digits = literal.substring(HEX_PREFIX.length());
        for (int i = 0; i < digits.length(); i++) {
            if (!HexFormat.isHexDigit(digits.charAt(i))) {
                throw new ShellSyntaxException("bad hex literal " + literal + ": '" + digits.charAt(i)
                        + "' is not a hex digit (quote it, \"" + literal + "\", for text)");
            }
        }
        if (digits.length() % 2 != 0) {
            throw new ShellSyntaxException("bad hex literal " + literal + ": an odd number of digits (two per byte)");
        }
        return ByteString.copyFrom(HexFormat.of().parseHex(digits));
    }

    /** Collects the pieces of one word. */
    private static final class WordBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final StringBuilder source = new StringBuilder();
        private boolean quoted;

        boolean isEmpty() {
            return source.isEmpty();
        }

        void bare(int codePoint) {
            source.appendCodePoint(codePoint);
            bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        }

        void quoted(String typed, byte[] content) {
            source.append(typed);
            bytes.writeBytes(content);
            quoted = true;
        }

        void finishInto(List<Word> words) throws ShellSyntaxException {
            if (source.isEmpty()) {
                return;
            }
            String typed = source.toString();
            if (!quoted && typed.regionMatches(true, 0, HEX_PREFIX, 0, HEX_PREFIX.length())) {
                words.add(new Word(hex(typed), typed, false));
            } else {
                words.add(new Word(ByteString.copyFrom(bytes.toByteArray()), typed, !quoted));
            }
            bytes.reset();
            source.setLength(0);
            quoted = false;
        }
    }
}
