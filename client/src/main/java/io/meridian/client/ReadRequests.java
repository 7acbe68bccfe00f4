package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.TransactionSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the {@code Read} requests every read context sends and assembles their answers:
 * point reads in batches of at most {@link #KEYS_PER_READ} keys, and one page of a range.
 */
final class ReadRequests {

    /** The most keys one point-read request carries; longer lists are read in several. */
    static final int KEYS_PER_READ = 1_000;

    private ReadRequests() {
    }

    /**
     * Reads {@code keys} batch by batch through {@code send}, all under {@code selector}.
     *
     * @return the rows found, in the order asked, with the first batch's read timestamp
     */
    static ReadResult readKeys(TransactionSelector selector, List<ByteString> keys,
            Function<ReadRequest, ReadResponse> send) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a read needs at least one key");
        }
        List<KeyValue> rows = new ArrayList<>();
        Timestamp readTimestamp = null;
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            ReadResponse response = send.apply(keyBatch(selector, keys.subList(from,
                    Math.min(keys.size(), from + KEYS_PER_READ))));
            response.getRowsList().forEach(row -> rows.add(KeyValue.fromProto(row)));
            if (readTimestamp == null) {
                readTimestamp = Timestamp.fromProto(response.getReadTimestamp());
            }
        }
        return new ReadResult(rows, readTimestamp);
    }

    /** A point read of {@code keys} (at most {@link #KEYS_PER_READ}) under {@code selector}. */
    static ReadRequest keyBatch(TransactionSelector selector, List<ByteString> keys) {
        return ReadRequest.newBuilder().setTransaction(selector).addAllKeys(keys).setLimit(keys.size()).build();
    }

    /** One page of {@code span}: at most {@code rowLimit} rows from {@code resumeKey} (empty: the start). */
    static ReadRequest rangePage(TransactionSelector selector, KeySpan span, ByteString resumeKey, long rowLimit,
            boolean reverse) {
        return ReadRequest.newBuilder().setTransaction(selector).setRange(span.toProto()).setResumeKey(resumeKey)
                .setLimit(rowLimit).setReverse(reverse).build();
    }

    /** A range read's response as a scan page. */
    static Scan.Page page(ReadResponse response) {
        return new Scan.Page(response.getRowsList().stream().map(KeyValue::fromProto).toList(),
                Timestamp.fromProto(response.getReadTimestamp()), response.getResumeKey());
    }

    /** The selector of a transaction begun on the server. */
    static TransactionSelector transaction(ByteString transactionId) {
        return TransactionSelector.newBuilder().setTransactionId(transactionId).build();
    }

    /** The selector of a single-use read with {@code bound}. */
    static TransactionSelector singleUse(TimestampBound bound) {
        return TransactionSelector.newBuilder().setSingleUse(WireFormat.bound(bound)).build();
    }
}
