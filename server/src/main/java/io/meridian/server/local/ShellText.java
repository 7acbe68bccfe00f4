package io.meridian.server.local;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.Timestamp;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How the shell reads and writes keys and values: UTF-8 text, split into words at whitespace,
 * with quoting for the rest.
 *
 * <p>Input: {@code "..."} holds spaces and the escapes {@code \" \\ \n \r \t \xNN} (one raw
 * byte); {@code '...'} holds anything literally; {@code ""} is the empty key. Output is the
 * inverse: a key or value is printed bare when it is plain printable text, and otherwise quoted,
 * with every non-printable byte or invalid UTF-8 byte as {@code \xNN}, so what the shell prints
 * can be typed back. Stateless.
 */
final class ShellText {

    private ShellText() {
    }

    /**
     * Splits a line into words.
     *
     * @param line the line typed
     * @return the words as bytes
     * @throws IllegalArgumentException on an unterminated quote or a bad escape
     */
    static List<ByteString> words(String line) {
        List<ByteString> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            int c = line.codePointAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(ByteString.copyFrom(word.toByteArray()));
                    word.reset();
                    inWord = false;
                }
                i += Character.charCount(c);
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' quote");
                }
                word.writeBytes(line.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
                i = end + 1;
                inWord = true;
            } else {
                word.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(ByteString.copyFrom(word.toByteArray()));
        }
        return words;
    }

    /** Reads a "..." word body starting after the quote; returns the index after the closing quote. */
    private static int doubleQuoted(String line, int from, ByteArrayOutputStream word) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c != '\\') {
                int cp = line.codePointAt(i);
                word.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= line.length()) {
                break;
            }
            char e = line.charAt(i + 1);
            switch (e) {
                case '"', '\\', '\'' -> word.write(e);
                case 'n' -> word.write('\n');
                case 'r' -> word.write('\r');
                case 't' -> word.write('\t');
                case 'x' -> {
                    if (i + 4 > line.length()) {
                        throw new IllegalArgumentException("\\x needs two hex digits");
                    }
                    try {
                        word.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("\\x needs two hex digits, not '" + line.substring(i + 2, i + 4) + "'");
                    }
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
            i += 2;
        }
        throw new IllegalArgumentException("unterminated \" quote");
    }

    /**
     * Prints bytes as shell text: bare if plain printable UTF-8 without spaces or quotes,
     * otherwise in double quotes with escapes.
     *
     * @param bytes a key or value
     * @return text that {@link #words(String)} reads back as the same bytes
     */
    static String show(ByteString bytes) {
        StringBuilder text = new StringBuilder();
        boolean quote = bytes.isEmpty();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = bytes.asReadOnlyByteBuffer();
        CharBuffer out = CharBuffer.allocate(2);
        while (in.hasRemaining()) {
            int start = in.position();
            out.clear();
            // Decode one code point at a time so that each can be judged (and escaped) on its own.
            ByteBuffer one = in.duplicate().limit(Math.min(in.limit(), start + utf8Length(in.get(start))));
            decoder.reset();
            CoderResult result = decoder.decode(one, out, true);
            out.flip();
            if (result.isError() || one.position() == start || out.length() == 0) {
                text.append(String.format("\\x%02x", in.get(start) & 0xff));
                in.position(start + 1);
                quote = true;
                continue;
            }
            in.position(one.position());
            int cp = Character.codePointAt(out, 0);
            quote |= appendCodePoint(text, cp);
        }
        if (!quote && text.charAt(0) == '#') {
            quote = true;
        }
        return quote ? "\"" + text + "\"" : text.toString();
    }

    /** Appends one code point, escaped if needed; returns whether the text needs quotes. */
    private static boolean appendCodePoint(StringBuilder text, int cp) {
        switch (cp) {
            case '"' -> text.append("\\\"");
            case '\\' -> text.append("\\\\");
            case '\n' -> text.append("\\n");
            case '\r' -> text.append("\\r");
            case '\t' -> text.append("\\t");
            case ' ', '\'' -> text.appendCodePoint(cp);
            default -> {
                if (printable(cp)) {
                    text.appendCodePoint(cp);
                    return false;
                }
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                    text.append(String.format("\\x%02x", b & 0xff));
                }
            }
        }
        return true;
    }

    private static boolean printable(int cp) {
        if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return false;
        }
        int type = Character.getType(cp);
        return type != Character.UNASSIGNED && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.CONTROL;
    }

    private static int utf8Length(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xf0) {
            return 4;
        }
        if (b >= 0xe0) {
            return 3;
        }
        return 2;
    }

    /**
     * Prints a timestamp as its microseconds and the instant they name.
     *
     * @param timestamp a TrueTime timestamp
     * @return e.g. {@code 1767225600123456 (2026-01-01T00:00:00.123456Z)}, or {@code unknown} for 0
     */
    static String timestamp(Timestamp timestamp) {
        long micros = timestamp.getMicros();
        if (micros == 0) {
            return "unknown";
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return micros + " (" + instant + ")";
    }

    /**
     * A word as a UTF-8 string (for command names and numbers).
     *
     * @param word the bytes
     * @return the text
     */
    static String text(ByteString word) {
        return word.toStringUtf8();
    }
}
