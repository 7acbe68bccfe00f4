package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.TransactionOptions;
import java.util.Optional;

/**
 * A {@link ReadOnlyTransaction}: begun lazily ({@code BeginTransaction} with a read-only mode)
 * at the leader of the first key read; its reads name the transaction and go to that node.
 * If that node becomes unreachable or forgets the transaction, reads continue as single-use
 * reads at exactly the transaction's timestamp — the same snapshot — at any endpoint.
 * Thread-safe.
 */
final class GrpcReadOnlyTransaction extends TransactionReads implements ReadOnlyTransaction {

    /**
     * Where the transaction lives.
     *
     * @param id            the transaction id
     * @param address       the endpoint that began it
     * @param readTimestamp its snapshot
     */
    private record Begun(ByteString id, String address, Timestamp readTimestamp) {
    }

    private final ClientCore core;
    private final TimestampBound bound;
    private Begun begun;
    private boolean closed;

    GrpcReadOnlyTransaction(ClientCore core, TimestampBound bound) {
        core.checkOpen();
        this.core = core;
        this.bound = bound;
    }

    @Override
    public Timestamp readTimestamp() {
        return begin(Optional.empty()).readTimestamp();
    }

    @Override
    Reader reader(Optional<ByteString> routingKey) {
        Begun txn = begin(routingKey);
        return new Reader(ReadRequests.transaction(txn.id()), request -> readAt(txn, request));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (begun != null) {
            try {
                Blocking.join(core.call(begun.address(), DatabaseGrpc.getRollbackMethod(),
                        RollbackRequest.newBuilder().setTransactionId(begun.id()).build()));
            } catch (RuntimeException e) {
                // Best effort: the server forgets an idle transaction anyway.
            }
        }
    }

    private synchronized Begun begin(Optional<ByteString> routingKey) {
        checkOpen();
        if (begun != null) {
            return begun;
        }
        BeginTransactionRequest request = BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadOnly(TransactionOptions.ReadOnly.newBuilder().setBound(WireFormat.bound(bound))))
                .build();
        EndpointCursor cursor = core.cursor(routingKey);
        begun = Blocking.join(core.retrying(number -> cursor.attempt(address -> core.call(address,
                DatabaseGrpc.getBeginTransactionMethod(), request).thenApply(response -> new Begun(
                        response.getTransactionId(), address, Timestamp.fromProto(response.getReadTimestamp())))),
                RetryPolicy::retryableRead));
        return begun;
    }

    /**
     * Reads at the transaction's node; if the node is unreachable or no longer knows the
     * transaction, reads the same snapshot as a single-use read at its timestamp instead.
     */
    private ReadResponse readAt(Begun txn, ReadRequest request) {
        checkOpen();
        try {
            return Blocking.join(core.call(txn.address(), DatabaseGrpc.getReadMethod(), request));
        } catch (MeridianException e) {
            boolean nodeLost = e.code() == Status.Code.UNAVAILABLE && !e.details().fromNode();
            if (!nodeLost && !(e instanceof NotFoundException)) {
                throw e;
            }
            ReadRequest snapshotRead = request.toBuilder()
                    .setTransaction(ReadRequests.singleUse(TimestampBound.readTimestamp(txn.readTimestamp()))).build();
            return Blocking.join(core.singleUse().readRequest(snapshotRead));
        }
    }

    @Override
    synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the read-only transaction is closed");
        }
    }
}
