package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * How the shell prints keys, values, timestamps and durations.
 *
 * <p>A key or value that is printable UTF-8 text prints as text: bare when it is one plain word,
 * otherwise in double quotes with the escapes {@code \" \\ \n \r \t}. Anything else (invalid
 * UTF-8, control characters, invisible characters) prints as a hex literal, {@code 0x...}. A
 * word that the lexer would read as something else (a keyword, a hex literal, a comment) is
 * quoted. Whatever {@link #show} prints, {@link CommandLexer} reads back as the same bytes, so
 * output can be pasted into the next command. Stateless.
 */
final class ShellText {

    private ShellText() {
    }

    /**
     * Prints a key or value.
     *
     * @param bytes the bytes
     * @return text such as {@code user/42}, {@code "a b"}, {@code ""} or {@code 0x00ff}
     */
    static String show(ByteString bytes) {
        Optional<String> text = printableText(bytes);
        if (text.isEmpty()) {
            return "0x" + HexFormat.of().formatHex(bytes.toByteArray());
        }
        String plain = text.get();
        if (isBareWord(plain)) {
            return plain;
        }
        StringBuilder quoted = new StringBuilder("\"");
        plain.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    /** The bytes as text, if they are valid UTF-8 made of printable characters, spaces and line breaks. */
    private static Optional<String> printableText(ByteString bytes) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.asReadOnlyByteBuffer());
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        boolean printable = text.codePoints().allMatch(c -> c == ' ' || c == '\n' || c == '\r' || c == '\t' || isVisible(c));
        return printable ? Optional.of(text) : Optional.empty();
    }

    /** Whether a word can print without quotes and read back as the same text. */
    private static boolean isBareWord(String text) {
        if (text.isEmpty() || text.startsWith("#") || text.regionMatches(true, 0, "0x", 0, 2)
                || CommandGrammar.isReservedWord(text.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return text.codePoints().allMatch(c -> isVisible(c) && c != '"' && c != '\'' && c != '\\' && c != ';');
    }

    /** A character that shows as ink: not a control, format, space or unassigned character. */
    private static boolean isVisible(int c) {
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return false;
        }
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.PRIVATE_USE;
    }

    /**
     * Prints a TrueTime timestamp as its microseconds and the instant they name.
     *
     * @param micros microseconds since the Unix epoch
     * @return e.g. {@code 1767225600123456 (2026-01-01T00:00:00.123456Z)}
     */
    static String timestamp(long micros) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return micros + " (" + instant + ")";
    }

    /**
     * Prints an elapsed time in milliseconds, as {@code \timing} shows it.
     *
     * @param elapsed the time
     * @return e.g. {@code 12.345 ms}
     */
    static String millis(Duration elapsed) {
        return String.format(Locale.ROOT, "%.3f ms", elapsed.toNanos() / 1e6);
    }

    /**
     * Prints a TrueTime uncertainty.
     *
     * @param micros ε in microseconds
     * @return e.g. {@code 250 us} or {@code 12.500 ms}
     */
    static String epsilon(long micros) {
        if (micros < 1_000) {
            return micros + " us";
        }
        return String.format(Locale.ROOT, "%.3f ms", micros / 1_000.0);
    }
}
