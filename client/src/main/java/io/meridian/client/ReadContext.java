package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads under one consistency: a single-use context ({@link MeridianClient#singleUse}), a
 * read-only transaction (one snapshot for every read) or a read-write transaction (locking
 * reads of the latest committed values). Every read reports the timestamp it read at:
 * {@link ReadResult#readTimestamp()}, {@link Scan#readTimestamp()}; {@link #get} is the
 * shorthand that drops it.
 *
 * <p>Failures are unchecked {@link MeridianException}s (see {@link StatusErrors}).
 */
public interface ReadContext {

    /**
     * Reads one key.
     *
     * @return the key's row, empty if the key is absent
     */
    Optional<KeyValue> get(ByteString key);

    /** Reads one UTF-8 key; see {@link #get(ByteString)}. */
    default Optional<KeyValue> get(String key) {
        return get(ByteString.copyFromUtf8(key));
    }

    /**
     * Reads several keys at one timestamp.
     *
     * @param keys the keys, not empty; absent keys are left out of the result
     * @return the rows found, in the order asked, and the read timestamp
     */
    ReadResult read(Collection<ByteString> keys);

    /** Reads several keys; see {@link #read(Collection)}. */
    default ReadResult read(ByteString... keys) {
        return read(Arrays.asList(keys));
    }

    /** Reads several UTF-8 keys; see {@link #read(Collection)}. */
    default ReadResult read(String... keys) {
        List<ByteString> bytes = Arrays.stream(keys).map(ByteString::copyFromUtf8).toList();
        return read(bytes);
    }

    /** Scans {@code span} in ascending key order with no limit; see {@link #scan(KeySpan, ScanOptions)}. */
    default Scan scan(KeySpan span) {
        return scan(span, ScanOptions.defaults());
    }

    /**
     * Scans a key span lazily: nothing is read until the scan is iterated, and each further
     * page is requested only when the previous one has been consumed. Every page is read at
     * the same timestamp, so the scan is one consistent snapshot of any size.
     *
     * @param span    the keys to scan
     * @param options limit, direction and page size
     * @return the scan, to iterate once and close
     */
    Scan scan(KeySpan span, ScanOptions options);
}
