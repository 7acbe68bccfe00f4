package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.util.Objects;

/**
 * One change to user data. Mutations are applied at their batch's commit timestamp, in the
 * order the batch lists them. Each record checks its own keys and sizes on construction, so an
 * invalid mutation cannot be built.
 */
public sealed interface Mutation {

    /** Bytes this mutation counts towards {@link Limit#BATCH_BYTES}: its keys and value. */
    long sizeBytes();

    /** The keys the mutation may change, as a span. */
    KeySpan span();

    /**
     * Writes {@code value} under {@code key}.
     *
     * @param key a valid key ({@link Keys#requireValid})
     * @param value at most {@link Limit#VALUE_BYTES}; may be empty
     */
    record Put(ByteString key, ByteString value) implements Mutation {

        public Put {
            Keys.requireValid(key);
            Objects.requireNonNull(value, "value");
            Limit.VALUE_BYTES.check(value.size());
        }

        @Override
        public long sizeBytes() {
            return (long) key.size() + value.size();
        }

        @Override
        public KeySpan span() {
            return KeySpan.ofKey(key);
        }
    }

    /**
     * Deletes {@code key}: a tombstone at the commit timestamp when the key is live, nothing
     * when it is not.
     *
     * @param key a valid key ({@link Keys#requireValid})
     */
    record Delete(ByteString key) implements Mutation {

        public Delete {
            Keys.requireValid(key);
        }

        @Override
        public long sizeBytes() {
            return key.size();
        }

        @Override
        public KeySpan span() {
            return KeySpan.ofKey(key);
        }
    }

    /**
     * Deletes every key in {@code [start, end)} that is live when the mutation applies, keys
     * written earlier in the same batch included. Bounds follow {@link KeySpan}: an empty end
     * reaches the end of the keyspace.
     *
     * @param start inclusive first key; empty for the beginning of the keyspace
     * @param end exclusive end; empty for the end of the keyspace
     */
    record DeleteRange(ByteString start, ByteString end) implements Mutation {

        public DeleteRange {
            new KeySpan(start, end);
        }

        /** The deleted keys as a span. */
        @Override
        public KeySpan span() {
            return new KeySpan(start, end);
        }

        @Override
        public long sizeBytes() {
            return (long) start.size() + end.size();
        }
    }
}
