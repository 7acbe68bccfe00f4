package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import java.util.Locale;

/**
 * One word of a command line, as {@link CommandLexer} read it.
 *
 * @param bytes  what the word stands for: its UTF-8 text, the bytes of a quoted string after its
 *               escapes, or the bytes of a {@code 0x} literal
 * @param source the word as typed, quotes and escapes included (for error messages)
 * @param bare   true when the word was typed without quotes and is not a hex literal: only a
 *               bare word can be a command name, a keyword or a number, so {@code "limit"} is a
 *               key where {@code limit} is a keyword
 */
record Word(ByteString bytes, String source, boolean bare) {

    /**
     * Whether this word is the given keyword.
     *
     * @param keyword a keyword, in lower case
     * @return true if the word is bare and spells it, in any case
     */
    boolean is(String keyword) {
        return bare && source.toLowerCase(Locale.ROOT).equals(keyword);
    }

    /**
     * The word as a lower-case keyword, for a bare word.
     *
     * @return the lower-case text, or the empty string for a quoted or hex word (never a keyword)
     */
    String keyword() {
        return bare ? source.toLowerCase(Locale.ROOT) : "";
    }
}
