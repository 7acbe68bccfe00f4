package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.TransactionSelector;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reads of a transaction begun on a server ({@link GrpcReadOnlyTransaction},
 * {@link ReadWriteAttempt}): every read names the transaction and goes to the node that began
 * it, which is the leader of the first key read when the transaction begins lazily.
 */
abstract class TransactionReads implements ReadContext {

    /**
     * How to read in the transaction once it has begun.
     *
     * @param selector names the transaction
     * @param send     sends a read to the transaction's node
     */
    record Reader(TransactionSelector selector, Function<ReadRequest, ReadResponse> send) {
    }

    /** Begins the transaction, at the leader of {@code routingKey}, unless it has begun. */
    abstract Reader reader(Optional<ByteString> routingKey);

    /** @throws IllegalStateException when the transaction takes no more reads */
    abstract void checkOpen();

    @Override
    public Optional<KeyValue> get(ByteString key) {
        return read(List.of(key)).get(key);
    }

    @Override
    public ReadResult read(Collection<ByteString> keys) {
        List<ByteString> list = List.copyOf(keys);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a read needs at least one key");
        }
        Reader reader = reader(Optional.of(list.get(0)));
        return ReadRequests.readKeys(reader.selector(), list, reader.send());
    }

    @Override
    public Scan scan(KeySpan span, ScanOptions options) {
        checkOpen();
        return new Scan((resumeKey, rowLimit, firstPageTimestamp) -> {
            Reader reader = reader(Optional.of(span.start()));
            return ReadRequests.page(reader.send().apply(ReadRequests.rangePage(reader.selector(), span, resumeKey,
                    rowLimit, options.reverse())));
        }, options);
    }
}
