package io.meridian.storage;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

import java.util.Objects;

/**
 * One committed value of a key as a read sees it.
 *
 * @param key the key
 * @param value the value written
 * @param ts the commit timestamp of the write; reads at any timestamp below it do not see it
 */
public record Version(ByteString key, ByteString value, Timestamp ts) {

    public Version {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ts, "ts");
    }
}
