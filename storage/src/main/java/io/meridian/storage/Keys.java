package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * Rules every user key and metadata name follows, and the key order. Keys are non-empty byte
 * strings of at most {@link Limit#KEY_BYTES} bytes, ordered as unsigned bytes.
 */
public final class Keys {

    /** The order of keys everywhere in Meridian: lexicographic over unsigned bytes. */
    public static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    private static final int DESCRIBE_BYTES_MAX = 64;

    private Keys() {
    }

    /**
     * Returns {@code key} when it is a valid user key.
     *
     * @throws IllegalArgumentException when the key is empty
     * @throws LimitExceededException when it is longer than {@link Limit#KEY_BYTES}
     */
    public static ByteString requireValid(ByteString key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        Limit.KEY_BYTES.check(key.size());
        return key;
    }

    /**
     * Returns {@code name} when it is a valid metadata name: non-empty, at most
     * {@link Limit#METADATA_NAME_BYTES} bytes of UTF-8.
     */
    public static String requireValidMetadataName(String name) {
        Objects.requireNonNull(name, "metadata name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("metadata name must not be empty");
        }
        Limit.METADATA_NAME_BYTES.check(name.getBytes(StandardCharsets.UTF_8).length);
        return name;
    }

    /** Compares two keys in {@link #ORDER}. */
    public static int compare(ByteString a, ByteString b) {
        return ORDER.compare(a, b);
    }

    /**
     * A readable rendering of a key for messages: printable ASCII as is, other bytes as
     * {@code \xNN}, cut after 64 bytes.
     */
    public static String describe(ByteString key) {
        StringBuilder text = new StringBuilder("\"");
        int shown = Math.min(key.size(), DESCRIBE_BYTES_MAX);
        for (int i = 0; i < shown; i++) {
            int b = key.byteAt(i) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        text.append('"');
        if (shown < key.size()) {
            text.append("...(").append(key.size()).append(" bytes)");
        }
        return text.toString();
    }
}
