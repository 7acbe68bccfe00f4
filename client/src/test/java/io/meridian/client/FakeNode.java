package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.BeginTransactionResponse;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListNodesResponse;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.KeepAliveRequest;
import io.meridian.api.v1.KeepAliveResponse;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.RollbackResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One in-process fake node of a {@link FakeCluster}: serves Database (over the cluster's shared
 * map, with node-local transactions as on a real node) and the Admin listings. It records every
 * request, and a test queues failures for the next calls of a method ({@link #failBegin},
 * {@link #failRead}, {@link #failCommit}): each queued status answers one call instead of the
 * normal behaviour.
 */
final class FakeNode {

    private final FakeCluster cluster;
    private final String nodeId;
    private final String address;
    private final AtomicLong nextTxnId = new AtomicLong(1);
    private final Map<ByteString, Long> openTxns = new ConcurrentHashMap<>();
    private final Queue<StatusRuntimeException> beginFailures = new ConcurrentLinkedQueue<>();
    private final Queue<StatusRuntimeException> readFailures = new ConcurrentLinkedQueue<>();
    private final Queue<StatusRuntimeException> commitFailures = new ConcurrentLinkedQueue<>();
    final List<BeginTransactionRequest> begins = new CopyOnWriteArrayList<>();
    final List<ReadRequest> reads = new CopyOnWriteArrayList<>();
    final List<CommitRequest> commits = new CopyOnWriteArrayList<>();
    final List<RollbackRequest> rollbacks = new CopyOnWriteArrayList<>();
    final List<KeepAliveRequest> keepAlives = new CopyOnWriteArrayList<>();
    /** The priority answered to each read-write begin, in order. */
    final List<Long> grantedPriorities = new CopyOnWriteArrayList<>();
    private Server server;

    FakeNode(FakeCluster cluster, String nodeId, String address) {
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.address = address;
    }

    String nodeId() {
        return nodeId;
    }

    String address() {
        return address;
    }

    void failBegin(StatusRuntimeException... statuses) {
        Collections.addAll(beginFailures, statuses);
    }

    void failRead(StatusRuntimeException... statuses) {
        Collections.addAll(readFailures, statuses);
    }

    void failCommit(StatusRuntimeException... statuses) {
        Collections.addAll(commitFailures, statuses);
    }

    /** Forgets every open transaction, as a restarted node would. */
    void forgetTransactions() {
        openTxns.clear();
    }

    void start() throws IOException {
        server = InProcessServerBuilder.forName(address).directExecutor()
                .addService(new Database()).addService(new Admin()).build().start();
    }

    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private final class Database extends DatabaseGrpc.DatabaseImplBase {

        @Override
        public void beginTransaction(BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> out) {
            begins.add(request);
            if (failed(beginFailures, out)) {
                return;
            }
            ByteString id = ByteString.copyFromUtf8(nodeId + "-txn-" + nextTxnId.getAndIncrement());
            BeginTransactionResponse.Builder response = BeginTransactionResponse.newBuilder().setTransactionId(id);
            long now = cluster.now();
            if (request.getOptions().hasReadOnly()) {
                TimestampBound bound = request.getOptions().getReadOnly().getBound();
                long readTs = bound.hasReadTimestamp() ? bound.getReadTimestamp().getMicros() : now;
                response.setReadTimestamp(micros(readTs));
                openTxns.put(id, readTs);
            } else {
                var readWrite = request.getOptions().getReadWrite();
                response.setPriority(readWrite.hasPriority() ? readWrite.getPriority() : micros(now));
                grantedPriorities.add(response.getPriority().getMicros());
                openTxns.put(id, 0L);
            }
            complete(out, response.build());
        }

        @Override
        public void read(ReadRequest request, StreamObserver<ReadResponse> out) {
            reads.add(request);
            if (failed(readFailures, out)) {
                return;
            }
            long readTs;
            switch (request.getTransaction().getSelectorCase()) {
                case TRANSACTION_ID -> {
                    Long txnTs = openTxns.get(request.getTransaction().getTransactionId());
                    if (txnTs == null) {
                        out.onError(Statuses.fromNode(Status.Code.NOT_FOUND, "TRANSACTION_NOT_FOUND"));
                        return;
                    }
                    readTs = txnTs == 0L ? cluster.now() : txnTs;
                }
                case SINGLE_USE -> {
                    TimestampBound bound = request.getTransaction().getSingleUse();
                    readTs = bound.hasReadTimestamp() ? bound.getReadTimestamp().getMicros() : cluster.now();
                }
                default -> readTs = cluster.now();
            }
            ReadResponse.Builder response = ReadResponse.newBuilder().setReadTimestamp(micros(readTs));
            if (request.getKeysCount() > 0) {
                request.getKeysList().stream().map(cluster::row).filter(r -> r != null).forEach(response::addRows);
            } else {
                page(request, response);
            }
            complete(out, response.build());
        }

        @Override
        public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
            commits.add(request);
            if (failed(commitFailures, out)) {
                return;
            }
            if (request.hasTransactionId() && openTxns.remove(request.getTransactionId()) == null) {
                out.onError(Statuses.fromNode(Status.Code.NOT_FOUND, "TRANSACTION_NOT_FOUND"));
                return;
            }
            long ts = cluster.now();
            for (Mutation mutation : request.getMutationsList()) {
                switch (mutation.getKindCase()) {
                    case PUT -> cluster.data().put(mutation.getPut().getKey(),
                            new FakeCluster.Version(mutation.getPut().getValue(), ts));
                    case DELETE -> cluster.data().remove(mutation.getDelete().getKey());
                    case DELETE_RANGE -> span(mutation.getDeleteRange().getRange().getStart(),
                            mutation.getDeleteRange().getRange().getEnd()).clear();
                    default -> throw new IllegalStateException("empty mutation");
                }
            }
            complete(out, CommitResponse.newBuilder().setCommitTimestamp(micros(ts)).build());
        }

        @Override
        public void keepAlive(KeepAliveRequest request, StreamObserver<KeepAliveResponse> out) {
            keepAlives.add(request);
            if (!openTxns.containsKey(request.getTransactionId())) {
                out.onError(Statuses.fromNode(Status.Code.NOT_FOUND, "TRANSACTION_NOT_FOUND"));
                return;
            }
            complete(out, KeepAliveResponse.getDefaultInstance());
        }

        @Override
        public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> out) {
            rollbacks.add(request);
            openTxns.remove(request.getTransactionId());
            complete(out, RollbackResponse.getDefaultInstance());
        }

        /** Fills one page of a range read: forward continues at [resume, end), reverse at [start, resume). */
        private void page(ReadRequest request, ReadResponse.Builder response) {
            ByteString start = request.getRange().getStart();
            ByteString end = request.getRange().getEnd();
            if (!request.getResumeKey().isEmpty()) {
                if (request.getReverse()) {
                    end = request.getResumeKey();
                } else {
                    start = request.getResumeKey();
                }
            }
            NavigableMap<ByteString, FakeCluster.Version> span = span(start, end);
            if (request.getReverse()) {
                span = span.descendingMap();
            }
            long limit = request.getLimit() == 0 ? 1_000 : request.getLimit();
            Row last = null;
            for (Map.Entry<ByteString, FakeCluster.Version> entry : span.entrySet()) {
                if (response.getRowsCount() == limit) {
                    response.setResumeKey(request.getReverse() ? last.getKey() : entry.getKey());
                    break;
                }
                last = FakeCluster.row(entry.getKey(), entry.getValue());
                response.addRows(last);
            }
        }

        private NavigableMap<ByteString, FakeCluster.Version> span(ByteString start, ByteString end) {
            return end.isEmpty() ? cluster.data().tailMap(start, true) : cluster.data().subMap(start, true, end, false);
        }
    }

    private final class Admin extends AdminGrpc.AdminImplBase {

        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> out) {
            complete(out, ListNodesResponse.newBuilder().addAllNodes(cluster.nodes()).build());
        }

        @Override
        public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> out) {
            complete(out, ListRangesResponse.newBuilder().addAllRanges(cluster.ranges()).build());
        }
    }

    private static <T> boolean failed(Queue<StatusRuntimeException> failures, StreamObserver<T> out) {
        StatusRuntimeException failure = failures.poll();
        if (failure != null) {
            out.onError(failure);
            return true;
        }
        return false;
    }

    private static <T> void complete(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static Timestamp micros(long micros) {
        return Timestamp.newBuilder().setMicros(micros).build();
    }
}
