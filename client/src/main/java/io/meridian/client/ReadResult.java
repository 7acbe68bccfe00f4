package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rows of a point read and the timestamp they were read at. Keys that were absent are
 * left out; the rows present keep the order the keys were asked in.
 *
 * @param rows          the rows found, in the order requested
 * @param readTimestamp the snapshot the rows were read at
 */
public record ReadResult(List<KeyValue> rows, Timestamp readTimestamp) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     */
    public ReadResult {
        rows = List.copyOf(rows);
        Objects.requireNonNull(readTimestamp, "readTimestamp");
    }

    /** The row of {@code key}, empty if it was absent (or not asked for). */
    public Optional<KeyValue> get(ByteString key) {
        return rows.stream().filter(row -> row.key().equals(key)).findFirst();
    }

    /** The row of the UTF-8 key {@code key}. */
    public Optional<KeyValue> get(String key) {
        return get(ByteString.copyFromUtf8(key));
    }

    /** The rows as an insertion-ordered map from key to value. */
    public Map<ByteString, ByteString> asMap() {
        Map<ByteString, ByteString> map = new LinkedHashMap<>();
        rows.forEach(row -> map.put(row.key(), row.value()));
        return map;
    }

    /** True if no key was found. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
