package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.Row;
import java.util.Objects;

/**
 * One key with its value, as of the read timestamp of the read that returned it.
 *
 * @param key              the key
 * @param value            the value
 * @param versionTimestamp the commit timestamp of the version read (at or below the read
 *                         timestamp)
 */
public record KeyValue(ByteString key, ByteString value, Timestamp versionTimestamp) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if any component is null
     */
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(versionTimestamp, "versionTimestamp");
    }

    /** The key decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String keyUtf8() {
        return key.toStringUtf8();
    }

    /** The value decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String valueUtf8() {
        return value.toStringUtf8();
    }

    /** The value's bytes, a fresh copy. */
    public byte[] valueBytes() {
        return value.toByteArray();
    }

    /** The key (text or hex) and value size, never the value itself. */
    @Override
    public String toString() {
        return "KeyValue[" + Keys.describe(key) + ", " + value.size() + " bytes @ " + versionTimestamp.micros() + "]";
    }

    static KeyValue fromProto(Row row) {
        return new KeyValue(row.getKey(), row.getValue(), Timestamp.fromProto(row.getVersionTs()));
    }
}
