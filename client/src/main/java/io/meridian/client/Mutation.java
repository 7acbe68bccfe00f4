package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One change a commit applies: {@link Put}, {@link Delete} or {@link DeleteRange}. The
 * mutations of one commit apply atomically, in the order given, at the commit timestamp.
 * Immutable.
 */
public sealed interface Mutation {

    /** Sets {@code key} to {@code value}. */
    static Mutation put(ByteString key, ByteString value) {
        return new Put(key, value);
    }

    /** Sets the UTF-8 key {@code key} to the UTF-8 bytes of {@code value}. */
    static Mutation put(String key, String value) {
        return new Put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value));
    }

    /** Deletes {@code key} (nothing happens if it is absent). */
    static Mutation delete(ByteString key) {
        return new Delete(key);
    }

    /** Deletes the UTF-8 key {@code key}. */
    static Mutation delete(String key) {
        return new Delete(ByteString.copyFromUtf8(key));
    }

    /** Deletes every key live in {@code span} when the commit applies. */
    static Mutation deleteRange(KeySpan span) {
        return new DeleteRange(span);
    }

    /**
     * Sets a key to a value.
     *
     * @param key   the key, not empty
     * @param value the value (may be empty)
     */
    record Put(ByteString key, ByteString value) implements Mutation {

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if the key is empty
         */
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a put needs a non-empty key");
            }
        }
    }

    /**
     * Deletes a key.
     *
     * @param key the key, not empty
     */
    record Delete(ByteString key) implements Mutation {

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if the key is empty
         */
        public Delete {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a delete needs a non-empty key");
            }
        }
    }

    /**
     * Deletes every key in a span.
     *
     * @param span the keys to delete
     */
    record DeleteRange(KeySpan span) implements Mutation {

        /**
         * Checks the components.
         *
         * @throws NullPointerException if the span is null
         */
        public DeleteRange {
            Objects.requireNonNull(span, "span");
        }
    }
}
