package io.meridian.storage;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

import java.util.Objects;
import java.util.Optional;

/**
 * One stored version of a key exactly as the store holds it, tombstones included: what
 * {@link MvccStore#versions} returns and what {@link WriteBatch.Builder#ingest} writes back at
 * its own timestamp (range moves copy a span's history this way).
 *
 * @param key a valid key ({@link Keys#requireValid})
 * @param ts the version's commit timestamp
 * @param value the value of a put, at most {@link Limit#VALUE_BYTES}; empty for a tombstone
 */
public record StoredVersion(ByteString key, Timestamp ts, Optional<ByteString> value) {

    public StoredVersion {
        Keys.requireValid(key);
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(value, "value");
        value.ifPresent(bytes -> Limit.VALUE_BYTES.check(bytes.size()));
    }

    /** True for a delete. */
    public boolean tombstone() {
        return value.isEmpty();
    }

    /** Bytes counted towards {@link Limit#BATCH_BYTES}: key and value. */
    public long sizeBytes() {
        return (long) key.size() + value.map(ByteString::size).orElse(0);
    }
}
