package io.meridian.txn.sim;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A value as the workloads write it: {@code payload@tag}, where the tag names the transaction
 * attempt that wrote it. The tag makes every version traceable to its writer, so atomicity and
 * durability can be checked per transaction; payloads (a balance, a list) carry the workload's
 * meaning.
 *
 * @param payload what the workload stores (no {@code @})
 * @param tag the writing attempt's tag (no {@code @})
 */
record TaggedValue(String payload, String tag) {

    private static final char SEPARATOR = '@';

    TaggedValue {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(tag, "tag");
        if (payload.indexOf(SEPARATOR) >= 0 || tag.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("payload and tag must not contain '" + SEPARATOR + "': " + payload + ", " + tag);
        }
    }

    /** Parses {@code payload@tag}; a value without a tag has an empty tag. */
    static TaggedValue parse(String value) {
        int at = value.lastIndexOf(SEPARATOR);
        return at < 0 ? new TaggedValue(value, "") : new TaggedValue(value.substring(0, at), value.substring(at + 1));
    }

    /** The tag of a stored value. */
    static String tagOf(String value) {
        return parse(value).tag();
    }

    /** The payload of a stored value. */
    static String payloadOf(String value) {
        return parse(value).payload();
    }

    @Override
    public String toString() {
        return payload + SEPARATOR + tag;
    }

    ByteString toBytes() {
        return bytes(toString());
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.ISO_8859_1);
    }

    static String text(ByteString bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
