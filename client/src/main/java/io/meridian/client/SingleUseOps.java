package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Single-use reads and blind writes, asynchronous: each is its own transaction on the server,
 * routed to the leader of its first key and retried (at other endpoints when one is
 * unreachable) under {@link RetryPolicy}'s rules within the transaction timeout. Thread-safe.
 */
final class SingleUseOps {

    private final ClientCore core;

    SingleUseOps(ClientCore core) {
        this.core = core;
    }

    /**
     * Reads {@code keys} at one timestamp chosen by {@code bound}. More than
     * {@link ReadRequests#KEYS_PER_READ} keys are read in batches, the later ones at the first batch's
     * timestamp, so the result is still one snapshot.
     */
    CompletableFuture<ReadResult> read(TimestampBound bound, List<ByteString> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a read needs at least one key");
        }
        int batchSize = ReadRequests.KEYS_PER_READ;
        CompletableFuture<ReadResult> result = readBatch(bound, keys.subList(0, Math.min(keys.size(), batchSize)));
        for (int from = batchSize; from < keys.size(); from += batchSize) {
            List<ByteString> batch = keys.subList(from, Math.min(keys.size(), from + batchSize));
            result = result.thenCompose(sofar -> readBatch(TimestampBound.readTimestamp(sofar.readTimestamp()), batch)
                    .thenApply(more -> {
                        List<KeyValue> rows = new ArrayList<>(sofar.rows());
                        rows.addAll(more.rows());
                        return new ReadResult(rows, sofar.readTimestamp());
                    }));
        }
        return result;
    }

    /**
     * Reads one page of {@code span} with {@code bound}, continuing at {@code resumeKey}.
     *
     * @param rowLimit the most rows, 1 to {@link ScanOptions#PAGE_SIZE_MAX}
     */
    CompletableFuture<Scan.Page> readPage(TimestampBound bound, KeySpan span, ByteString resumeKey, long rowLimit,
            boolean reverse) {
        ReadRequest request = ReadRequests.rangePage(ReadRequests.singleUse(bound), span, resumeKey, rowLimit, reverse);
        ByteString routingKey = resumeKey.isEmpty() || reverse ? span.start() : resumeKey;
        return readWithRetries(routingKey, request).thenApply(ReadRequests::page);
    }

    /**
     * Commits {@code mutations} as a single-use transaction. Retried only while certainly not
     * applied; an ambiguous outcome fails the future with {@link AmbiguousCommitException}.
     */
    CompletableFuture<Timestamp> write(List<Mutation> mutations) {
        if (mutations.isEmpty()) {
            throw new IllegalArgumentException("a write needs at least one mutation");
        }
        CommitRequest request = CommitRequest.newBuilder().setSingleUse(true)
                .addAllMutations(WireFormat.mutations(mutations)).build();
        EndpointCursor cursor = core.cursor(Optional.of(WireFormat.routingKey(mutations.get(0))));
        return core.retrying(attempt -> cursor.attempt(address -> core.callCommit(address,
                                DatabaseGrpc.getCommitMethod(), request, Optional.empty())),
                        RetryPolicy::retryableWrite)
                .thenApply(response -> Timestamp.fromProto(response.getCommitTimestamp()));
    }

    /**
     * Sends a prepared single-use {@code request} (keys or a range), with the same retries,
     * routed by its first key or range start.
     */
    CompletableFuture<ReadResponse> readRequest(ReadRequest request) {
        ByteString routingKey = request.getKeysCount() > 0 ? request.getKeys(0) : request.getRange().getStart();
        return readWithRetries(routingKey, request);
    }

    private CompletableFuture<ReadResult> readBatch(TimestampBound bound, List<ByteString> keys) {
        ReadRequest request = ReadRequests.keyBatch(ReadRequests.singleUse(bound), keys);
        return readWithRetries(keys.get(0), request).thenApply(response -> new ReadResult(
                response.getRowsList().stream().map(KeyValue::fromProto).toList(),
                Timestamp.fromProto(response.getReadTimestamp())));
    }

    private CompletableFuture<ReadResponse> readWithRetries(ByteString routingKey, ReadRequest request) {
        EndpointCursor cursor = core.cursor(Optional.of(routingKey));
        return core.retrying(attempt -> cursor.attempt(address -> core.call(address, DatabaseGrpc.getReadMethod(),
                request)), RetryPolicy::retryableRead);
    }
}
