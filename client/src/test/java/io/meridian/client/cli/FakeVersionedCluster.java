package io.meridian.client.cli;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.BeginTransactionResponse;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListGroupsResponse;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListNodesResponse;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.KeepAliveRequest;
import io.meridian.api.v1.KeepAliveResponse;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.RollbackResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import io.meridian.client.MeridianClient;
import io.meridian.client.RetrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A fake Meridian node for the shell's tests, below the SDK: the public Database and Admin
 * services over an in-memory multi-version map, so that reads at a timestamp see old versions.
 * Its clock starts at 2026-01-01T00:00:00Z and ticks 1 ms for every Read, BeginTransaction and
 * Commit that needs a new timestamp, so answers are predictable. Range reads return at most
 * {@link #PAGE_ROWS} rows per page, so paging shows. A test can make the next call of an RPC fail
 * with a status of its choice ({@link #failNext}). Admin answers a fixed three-node,
 * two-range, one-group layout. Served in process; {@link #client()} is an SDK client on it
 * whatever endpoint it dials. Thread-safe (one lock).
 */
final class FakeVersionedCluster implements AutoCloseable {

    /** The first timestamp the fake hands out: 2026-01-01T00:00:00Z. */
    static final long CLOCK_START_MICROS = 1_767_225_600_000_000L;
    /** The most rows one Read page returns. */
    static final int PAGE_ROWS = 2;
    /** Reads below this timestamp are below the retained history. */
    static final long HORIZON_MICROS = CLOCK_START_MICROS - 3_600_000_000L;

    /** Every version of every key: commit timestamp → value, or empty for a delete. */
    private final NavigableMap<ByteString, NavigableMap<Long, Optional<ByteString>>> versions =
            new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    private final Map<ByteString, Transaction> transactions = new HashMap<>();
    private final Map<String, Queue<StatusRuntimeException>> failures = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private long clockMicros = CLOCK_START_MICROS;
    private long nextTransactionId = 1;
    private final Server server;
    private final MeridianClient client;

    /**
     * Starts the fake and a client on it: short timeouts and backoffs, so a retried failure
     * gives up within a fraction of a second.
     *
     * @throws IOException if the in-process server does not start
     */
    FakeVersionedCluster() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new FakeDatabase()).addService(new FakeAdmin()).build().start();
        client = MeridianClient.builder().endpoints("fake:7100")
                .callTimeout(Duration.ofSeconds(5)).transactionTimeout(Duration.ofMillis(200))
                .retrySettings(RetrySettings.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5)))
                .channelFactory(endpoint -> InProcessChannelBuilder.forName(name).directExecutor().build())
                .build();
    }

    /** @return an SDK client on this fake (closed by {@link #close()}) */
    MeridianClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An open transaction: read-write, or read-only at a timestamp. */
    private record Transaction(boolean readWrite, long readMicros) {
    }

    /**
     * Makes the next call of an RPC fail.
     *
     * @param rpc    the method name, e.g. {@code Commit}
     * @param status the status it fails with
     */
    synchronized void failNext(String rpc, StatusRuntimeException status) {
        failures.computeIfAbsent(rpc, r -> new ArrayDeque<>()).add(status);
    }

    /** @return the RPCs served so far, by method name, in order */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** @return the number of transactions begun and not yet committed or rolled back */
    synchronized int openTransactions() {
        return transactions.size();
    }

    /** @return the latest value of a key, or empty if it has none or was deleted */
    synchronized Optional<ByteString> latest(ByteString key) {
        NavigableMap<Long, Optional<ByteString>> history = versions.get(key);
        return history == null ? Optional.empty() : history.lastEntry().getValue();
    }

    /** Writes a version at the next tick, as a committed transaction would. */
    synchronized long write(ByteString key, ByteString value) {
        long at = tick();
        versions.computeIfAbsent(key, k -> new TreeMap<>()).put(at, Optional.of(value));
        return at;
    }

    private long tick() {
        clockMicros += 1_000;
        return clockMicros;
    }

    /** Runs one RPC under the lock, failing it first if a failure is queued. */
    private synchronized <T> void serve(String rpc, StreamObserver<T> observer, Answer<T> answer) {
        calls.add(rpc);
        Queue<StatusRuntimeException> queued = failures.get(rpc);
        if (queued != null && !queued.isEmpty()) {
            observer.onError(queued.remove());
            return;
        }
        try {
            answer.serve(observer);
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        }
        observer.onCompleted();
    }

    /** What one RPC does with the lock held. */
    private interface Answer<T> {
        void serve(StreamObserver<T> observer);
    }

    private long readMicros(TransactionSelector selector) {
        return switch (selector.getSelectorCase()) {
            case TRANSACTION_ID -> transaction(selector.getTransactionId()).readMicros() == 0 ? clockMicros
                    : transaction(selector.getTransactionId()).readMicros();
            case SINGLE_USE -> boundMicros(selector.getSingleUse());
            case SELECTOR_NOT_SET -> tick();
        };
    }

    private long boundMicros(TimestampBound bound) {
        long micros = switch (bound.getBoundCase()) {
            case STRONG, BOUND_NOT_SET -> tick();
            case READ_TIMESTAMP -> bound.getReadTimestamp().getMicros();
            case MIN_READ_TIMESTAMP -> Math.max(bound.getMinReadTimestamp().getMicros(), clockMicros);
            case EXACT_STALENESS_MICROS -> clockMicros - bound.getExactStalenessMicros();
            case MAX_STALENESS_MICROS -> clockMicros;
        };
        if (micros < HORIZON_MICROS) {
            throw nodeError(Status.Code.FAILED_PRECONDITION, "READ_BELOW_HORIZON", Map.of(), "read timestamp " + micros
                    + " is below the retained history (horizon " + HORIZON_MICROS + ")");
        }
        return micros;
    }

    private Transaction transaction(ByteString id) {
        Transaction transaction = transactions.get(id);
        if (transaction == null) {
            throw nodeError(Status.Code.NOT_FOUND, "TRANSACTION_NOT_FOUND", Map.of(), "unknown or finished transaction");
        }
        return transaction;
    }

    private Optional<Row> rowAt(ByteString key, long micros) {
        NavigableMap<Long, Optional<ByteString>> history = versions.get(key);
        if (history == null) {
            return Optional.empty();
        }
        Map.Entry<Long, Optional<ByteString>> version = history.floorEntry(micros);
        if (version == null || version.getValue().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Row.newBuilder().setKey(key).setValue(version.getValue().get())
                .setVersionTs(timestamp(version.getKey())).build());
    }

    /** One page of a read: point keys, or up to {@link #PAGE_ROWS} rows of a range from its resume key. */
    private ReadResponse page(ReadRequest request, long readMicros, long rowsMax) {
        ReadResponse.Builder page = ReadResponse.newBuilder().setReadTimestamp(timestamp(readMicros));
        if (!request.hasRange()) {
            for (ByteString key : request.getKeysList()) {
                rowAt(key, readMicros).ifPresent(page::addRows);
            }
            return page.build();
        }
        KeyRange range = request.getRange();
        NavigableMap<ByteString, NavigableMap<Long, Optional<ByteString>>> span = range.getEnd().isEmpty()
                ? versions.tailMap(range.getStart(), true) : versions.subMap(range.getStart(), true, range.getEnd(), false);
        if (!request.getResumeKey().isEmpty()) {
            span = request.getReverse() ? span.headMap(request.getResumeKey(), false) : span.tailMap(request.getResumeKey(), true);
        }
        long limit = Math.min(PAGE_ROWS, rowsMax);
        for (ByteString key : (request.getReverse() ? span.descendingMap() : span).keySet()) {
            Optional<Row> row = rowAt(key, readMicros);
            if (row.isEmpty()) {
                continue;
            }
            if (page.getRowsCount() == limit) {
                // Forward: continue from this key. Reverse: continue below the last key returned.
                page.setResumeKey(request.getReverse() ? page.getRows(page.getRowsCount() - 1).getKey() : key);
                break;
            }
            page.addRows(row.get());
        }
        return page.build();
    }

    private void apply(List<Mutation> mutations, long at) {
        for (Mutation mutation : mutations) {
            switch (mutation.getKindCase()) {
                case PUT -> versions.computeIfAbsent(mutation.getPut().getKey(), k -> new TreeMap<>())
                        .put(at, Optional.of(mutation.getPut().getValue()));
                case DELETE -> {
                    if (versions.containsKey(mutation.getDelete().getKey())) {
                        versions.get(mutation.getDelete().getKey()).put(at, Optional.empty());
                    }
                }
                case DELETE_RANGE -> {
                    KeyRange range = mutation.getDeleteRange().getRange();
                    var span = range.getEnd().isEmpty() ? versions.tailMap(range.getStart(), true)
                            : versions.subMap(range.getStart(), true, range.getEnd(), false);
                    span.values().forEach(history -> history.put(at, Optional.empty()));
                }
                case KIND_NOT_SET -> throw nodeError(Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST", Map.of(), "empty mutation");
            }
        }
    }

    /**
     * An error as a Meridian node reports it: the code, and an {@code ErrorInfo} naming the
     * reason, which tells the SDK that a node (not the transport) refused the request.
     *
     * @param code     the gRPC code
     * @param reason   the server's error reason, e.g. {@code TXN_ABORTED}
     * @param metadata the {@code ErrorInfo} metadata, e.g. {@code abort_reason}
     * @param message  the message
     * @param details  more status details, e.g. a {@link LimitViolation}
     * @return the exception to fail a call with
     */
    static StatusRuntimeException nodeError(Status.Code code, String reason, Map<String, String> metadata, String message,
            com.google.protobuf.Message... details) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("meridian.io").putAllMetadata(metadata).build()));
        for (com.google.protobuf.Message detail : details) {
            status.addDetails(Any.pack(detail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** An abort as a node reports it. */
    static StatusRuntimeException aborted(String message) {
        return nodeError(Status.Code.ABORTED, "TXN_ABORTED", Map.of("abort_reason", "WOUNDED"), message);
    }

    /** A broken key-size limit as a node reports it. */
    static StatusRuntimeException keyTooLong() {
        return nodeError(Status.Code.INVALID_ARGUMENT, "LIMIT_EXCEEDED", Map.of(), "key too long",
                LimitViolation.newBuilder().setLimit("KEY_BYTES").setMaximum(480).setActual(481).build());
    }

    private static Timestamp timestamp(long micros) {
        return Timestamp.newBuilder().setMicros(micros).build();
    }

    private final class FakeDatabase extends DatabaseGrpc.DatabaseImplBase {
        @Override
        public void beginTransaction(BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> observer) {
            serve("BeginTransaction", observer, o -> {
                ByteString id = ByteString.copyFromUtf8("txn-" + nextTransactionId++);
                BeginTransactionResponse.Builder answer = BeginTransactionResponse.newBuilder().setTransactionId(id);
                if (request.getOptions().hasReadOnly()) {
                    long readMicros = boundMicros(request.getOptions().getReadOnly().getBound());
                    transactions.put(id, new Transaction(false, readMicros));
                    answer.setReadTimestamp(timestamp(readMicros));
                } else {
                    transactions.put(id, new Transaction(true, 0));
                    answer.setPriority(timestamp(tick()));
                }
                o.onNext(answer.build());
            });
        }

        @Override
        public void read(ReadRequest request, StreamObserver<ReadResponse> observer) {
            serve("Read", observer, o -> {
                long limit = request.getLimit() == 0 ? 1_000 : request.getLimit();
                o.onNext(page(request, readMicros(request.getTransaction()), limit));
            });
        }

        @Override
        public void streamingRead(ReadRequest request, StreamObserver<ReadResponse> observer) {
            serve("StreamingRead", observer, o -> {
                long readMicros = readMicros(request.getTransaction());
                long remaining = request.getLimit() == 0 ? Long.MAX_VALUE : request.getLimit();
                ReadRequest next = request;
                while (true) {
                    ReadResponse page = page(next, readMicros, remaining);
                    o.onNext(page);
                    remaining -= page.getRowsCount();
                    if (page.getResumeKey().isEmpty() || remaining <= 0) {
                        return;
                    }
                    next = next.toBuilder().setResumeKey(page.getResumeKey()).build();
                }
            });
        }

        @Override
        public void commit(CommitRequest request, StreamObserver<CommitResponse> observer) {
            serve("Commit", observer, o -> {
                if (request.hasTransactionId()) {
                    Transaction transaction = transaction(request.getTransactionId());
                    transactions.remove(request.getTransactionId());
                    if (!transaction.readWrite()) {
                        throw nodeError(Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST", Map.of(),
                                "the transaction is read-only: it has nothing to commit");
                    }
                }
                long at = tick();
                apply(request.getMutationsList(), at);
                o.onNext(CommitResponse.newBuilder().setCommitTimestamp(timestamp(at)).build());
            });
        }

        @Override
        public void keepAlive(KeepAliveRequest request, StreamObserver<KeepAliveResponse> observer) {
            serve("KeepAlive", observer, o -> {
                transaction(request.getTransactionId());
                o.onNext(KeepAliveResponse.getDefaultInstance());
            });
        }

        @Override
        public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> observer) {
            serve("Rollback", observer, o -> {
                transactions.remove(request.getTransactionId());
                o.onNext(RollbackResponse.getDefaultInstance());
            });
        }
    }

    private final class FakeAdmin extends AdminGrpc.AdminImplBase {
        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
            serve("ListNodes", observer, o -> {
                ListNodesResponse.Builder answer = ListNodesResponse.newBuilder();
                for (int i = 1; i <= 3; i++) {
                    answer.addNodes(Node.newBuilder().setNodeId("n" + i).setAddress("127.0.0.1:710" + i).setRegion("local")
                            .setZone("z" + i).setEpsilonMicros(i == 3 ? 12_500 : 250)
                            .setHealth(i == 3 ? NodeHealth.NODE_HEALTH_FENCED : NodeHealth.NODE_HEALTH_SERVING));
                }
                o.onNext(answer.build());
            });
        }

        @Override
        public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> observer) {
            serve("ListRanges", observer, o -> {
                ByteString split = ByteString.copyFromUtf8("m");
                o.onNext(ListRangesResponse.newBuilder()
                        .addRanges(RangeInfo.newBuilder().setApproximateBytes(-1)
                                .setRange(range(1, KeyRange.newBuilder().setEnd(split).build(), "n1")))
                        .addRanges(RangeInfo.newBuilder().setApproximateBytes(4096)
                                .setRange(range(2, KeyRange.newBuilder().setStart(split).build(), "")))
                        .build());
            });
        }

        private RangeDescriptor range(long id, KeyRange span, String leader) {
            return RangeDescriptor.newBuilder().setRangeId(id).setSpan(span).setGroupId(1).setGeneration(1)
                    .addAllReplicaNodeIds(List.of("n1", "n2", "n3")).setLeaderNodeId(leader).build();
        }

        @Override
        public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> observer) {
            serve("ListGroups", observer, o -> o.onNext(ListGroupsResponse.newBuilder()
                    .addGroups(GroupInfo.newBuilder().setGroupId(1).setLeaderNodeId("n1")
                            .addAllReplicaNodeIds(List.of("n1", "n2", "n3")).addRangeIds(1).addRangeIds(2))
                    .build()));
        }
    }
}
