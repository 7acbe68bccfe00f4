package io.meridian.server.service;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.BeginTransactionResponse;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.KeepAliveRequest;
import io.meridian.api.v1.KeepAliveResponse;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.RollbackResponse;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import io.meridian.api.v1.WatchChangesRequest;
import io.meridian.api.v1.WatchChangesResponse;
import io.meridian.server.gateway.CommitGateway;
import io.meridian.server.gateway.Consistency;
import io.meridian.server.gateway.ReadGateway;
import io.meridian.server.gateway.RequestValidator;
import io.meridian.server.gateway.TransactionRegistry;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.status.StatusMapper;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.Mutation;
import io.meridian.truetime.Timestamp;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import io.meridian.txn.ReadWriteTxn;
import java.util.function.Supplier;

/**
 * The public {@code Database} service, served by every node as a gateway: transactions, reads
 * (single-use, read-only and read-write) and single-group commits, per database.proto.
 *
 * <p>Thread-safe; handlers run on virtual threads and block while the gateway works.
 */
public final class DatabaseService extends DatabaseGrpc.DatabaseImplBase {

    private final ReadGateway reads;
    private final CommitGateway commits;
    private final TransactionRegistry txns;
    private final StatusMapper mapper;
    private final Supplier<Optional<Timestamp>> strongNow;

    /**
     * @param strongNow {@code TT.now().latest} when this node's clock may be used, empty when fenced
     */
    public DatabaseService(ReadGateway reads, CommitGateway commits, TransactionRegistry txns, StatusMapper mapper,
            Supplier<Optional<Timestamp>> strongNow) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.commits = Objects.requireNonNull(commits, "commits");
        this.txns = Objects.requireNonNull(txns, "txns");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.strongNow = Objects.requireNonNull(strongNow, "strongNow");
    }

    @Override
    public void beginTransaction(BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> switch (request.getOptions().getModeCase()) {
            case READ_WRITE -> {
                var options = request.getOptions().getReadWrite();
                ReadWriteTxn txn = commits.driver().begin(options.hasPriority()
                        ? OptionalLong.of(options.getPriority().getMicros()) : OptionalLong.empty());
                yield BeginTransactionResponse.newBuilder()
                        .setTransactionId(txns.begin(new TransactionRegistry.ReadWrite(txn)))
                        .setPriority(io.meridian.api.v1.Timestamp.newBuilder().setMicros(txn.priorityMicros()))
                        .build();
            }
            case READ_ONLY -> {
                TimestampBound bound = request.getOptions().getReadOnly().getBound();
                RequestValidator.checkBound(bound, "options.read_only.bound");
                Timestamp readTs = readOnlyTimestamp(bound);
                yield BeginTransactionResponse.newBuilder()
                        .setTransactionId(txns.begin(new TransactionRegistry.ReadOnly(readTs)))
                        .setReadTimestamp(ProtoConversions.timestamp(readTs)).build();
            }
            case MODE_NOT_SET -> throw RequestFailedException.invalid("options.mode is not set: read_write or read_only");
        });
    }

    /**
     * The snapshot of a read-only transaction, fixed at begin: strong → {@code TT.now().latest};
     * an exact timestamp or staleness → that timestamp; a lower bound ({@code min_read_timestamp},
     * {@code max_staleness}) → the bound itself, the freshest snapshot every replica that is
     * caught up to the bound can serve without waiting.
     */
    private Timestamp readOnlyTimestamp(TimestampBound bound) {
        return switch (consistencyOf(bound)) {
            case Consistency.Strong strong -> now();
            case Consistency.Exact exact -> exact.readTs();
            case Consistency.Bounded bounded -> bounded.minReadTs();
            case Consistency.Locking locking -> throw new IllegalStateException("a bound is never locking");
        };
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            RequestValidator.checkRead(request, false);
            Consistency consistency = consistencyOf(request.getTransaction());
            long limit = request.getLimit() == 0 ? RequestValidator.READ_LIMIT_DEFAULT : request.getLimit();
            return response(reads.read(request, consistency, limit, Calls.deadline()));
        });
    }

    @Override
    public void streamingRead(ReadRequest request, StreamObserver<ReadResponse> observer) {
        ServerCallStreamObserver<ReadResponse> call = (ServerCallStreamObserver<ReadResponse>) observer;
        Consistency consistency;
        try {
            RequestValidator.checkRead(request, true);
            consistency = consistencyOf(request.getTransaction());
        } catch (RuntimeException e) {
            observer.onError(mapper.toStatus(e, CallKind.READ));
            return;
        }
        StreamingRead stream = new StreamingRead(call, request, consistency, Calls.deadline());
        call.setOnCancelHandler(stream::cancel);
        call.setOnReadyHandler(stream::sendWhileReady);
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> observer) {
        Calls.unary(observer, mapper, CallKind.COMMIT, () -> {
            Deadline deadline = Calls.deadline();
            Timestamp ts = switch (request.getTransactionCase()) {
                case SINGLE_USE -> {
                    List<Mutation> converted = RequestValidator.checkMutations(request.getMutationsList(), true);
                    yield commits.commitSingleUse(converted, deadline);
                }
                case TRANSACTION_ID -> {
                    List<Mutation> converted = RequestValidator.checkMutations(request.getMutationsList(), false);
                    if (!(txns.finish(request.getTransactionId()) instanceof TransactionRegistry.ReadWrite txn)) {
                        throw RequestFailedException.invalid("the transaction is read-only: it has nothing to commit");
                    }
                    yield commits.commit(txn.txn(), converted, deadline);
                }
                case TRANSACTION_NOT_SET -> throw RequestFailedException.invalid(
                        "a commit needs transaction_id or single_use");
            };
            return CommitResponse.newBuilder().setCommitTimestamp(ProtoConversions.timestamp(ts)).build();
        });
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            if (txns.finish(request.getTransactionId()) instanceof TransactionRegistry.ReadWrite readWrite) {
                readWrite.txn().rollback();
            }
            return RollbackResponse.getDefaultInstance();
        });
    }

    @Override
    public void keepAlive(KeepAliveRequest request, StreamObserver<KeepAliveResponse> observer) {
        Calls.unary(observer, mapper, CallKind.READ, () -> {
            txns.use(request.getTransactionId());
            return KeepAliveResponse.getDefaultInstance();
        });
    }

    @Override
    public void watchChanges(WatchChangesRequest request, StreamObserver<WatchChangesResponse> observer) {
        observer.onError(mapper.status(ErrorReason.NOT_SERVED_YET,
                "WatchChanges (change streams) is not served by this release; it arrives with the change-stream work"));
    }

    private Consistency consistencyOf(TransactionSelector selector) {
        return switch (selector.getSelectorCase()) {
            case SINGLE_USE -> {
                RequestValidator.checkBound(selector.getSingleUse(), "transaction.single_use");
                yield consistencyOf(selector.getSingleUse());
            }
            case TRANSACTION_ID -> switch (txns.use(selector.getTransactionId())) {
                case TransactionRegistry.ReadOnly readOnly -> new Consistency.Exact(readOnly.readTs());
                case TransactionRegistry.ReadWrite readWrite -> new Consistency.Locking(readWrite.txn());
            };
            case SELECTOR_NOT_SET -> new Consistency.Strong();
        };
    }

    private Consistency consistencyOf(TimestampBound bound) {
        return switch (bound.getBoundCase()) {
            case STRONG, BOUND_NOT_SET -> new Consistency.Strong();
            case READ_TIMESTAMP -> new Consistency.Exact(Timestamp.ofMicros(bound.getReadTimestamp().getMicros()));
            case MIN_READ_TIMESTAMP -> new Consistency.Bounded(Timestamp.ofMicros(bound.getMinReadTimestamp().getMicros()));
            case EXACT_STALENESS_MICROS -> new Consistency.Exact(staleBy(bound.getExactStalenessMicros()));
            case MAX_STALENESS_MICROS -> new Consistency.Bounded(staleBy(bound.getMaxStalenessMicros()));
        };
    }

    private Timestamp staleBy(long stalenessMicros) {
        return Timestamp.ofMicros(Math.max(0, now().micros() - stalenessMicros));
    }

    private Timestamp now() {
        return strongNow.get().orElseThrow(() -> new RequestFailedException(ErrorReason.FENCED,
                "this node's TrueTime uncertainty is above its bound: it cannot pick a read timestamp"));
    }

    private static ReadResponse response(ReadGateway.Page page) {
        ReadResponse.Builder response = ReadResponse.newBuilder().addAllRows(page.rows())
                .setReadTimestamp(ProtoConversions.timestamp(page.readTs()));
        page.resumeKey().ifPresent(response::setResumeKey);
        return response.build();
    }

    /**
     * One {@code StreamingRead}: sends pages while the transport is ready (gRPC calls
     * {@link #sendWhileReady} again when it becomes ready), each page at the snapshot the first
     * one fixed. gRPC serialises the ready and cancel callbacks of a call.
     */
    private final class StreamingRead {

        private static final long PAGE_ROWS = RequestValidator.READ_LIMIT_DEFAULT;

        private final ServerCallStreamObserver<ReadResponse> call;
        private final ReadRequest request;
        private final Deadline deadline;
        private Consistency consistency;
        private long remaining;
        private ByteString resumeKey;
        private volatile boolean done;

        StreamingRead(ServerCallStreamObserver<ReadResponse> call, ReadRequest request, Consistency consistency,
                Deadline deadline) {
            this.call = call;
            this.request = request;
            this.consistency = consistency;
            this.deadline = deadline;
            this.remaining = request.getLimit() == 0 ? Long.MAX_VALUE : request.getLimit();
            this.resumeKey = request.getResumeKey();
        }

        void cancel() {
            done = true;
        }

        void sendWhileReady() {
            while (!done && call.isReady() && !call.isCancelled()) {
                try {
                    ReadRequest pageRequest = request.toBuilder().setResumeKey(resumeKey).build();
                    long pageLimit = request.getKeysCount() > 0 ? remaining : Math.min(remaining, PAGE_ROWS);
                    ReadGateway.Page page = reads.read(pageRequest, consistency, pageLimit, deadline);
                    call.onNext(response(page));
                    remaining -= page.rows().size();
                    consistency = page.nextPage();
                    if (page.resumeKey().isEmpty() || remaining <= 0 || request.getKeysCount() > 0) {
                        done = true;
                        call.onCompleted();
                    } else {
                        resumeKey = page.resumeKey().get();
                    }
                } catch (RuntimeException e) {
                    done = true;
                    call.onError(mapper.toStatus(e, CallKind.READ));
                }
            }
        }
    }
}
