package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.BeginTransactionResponse;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.KeepAliveRequest;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.TransactionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt of a read-write transaction, and the hand-driven {@link ReadWriteTransaction}.
 *
 * <p>It begins lazily: the first read sends {@code BeginTransaction} to the leader of the
 * first key read (failing over while endpoints are unreachable), and every later call of the
 * transaction goes to that node, which holds the transaction. An attempt that never read
 * commits its mutations as one single-use commit at the leader of the first mutated key;
 * an attempt that did nothing at all begins and commits empty, to obtain a commit timestamp.
 *
 * <p>It remembers the first failure of its calls that proves it can no longer commit
 * ({@link RetryPolicy#retryableTransaction}), so that its runner retries even if the
 * transaction function swallowed the exception; such an attempt refuses to commit.
 *
 * <p>Thread-safe: the state changes are synchronized; reads run concurrently once begun.
 */
final class ReadWriteAttempt extends TransactionReads implements ReadWriteTransaction {

    private enum State { OPEN, COMMITTED, ROLLED_BACK, FAILED }

    /**
     * Where the transaction lives on the server.
     *
     * @param id       the transaction id
     * @param address  the endpoint that began it
     * @param priority the transaction's priority: the one it asked for, or else the one granted
     */
    private record Begun(ByteString id, String address, Timestamp priority) {
    }

    private final ClientCore core;
    private final int attempt;
    private final Optional<Timestamp> requestedPriority;
    private final List<Mutation> mutations = new ArrayList<>();
    private State state = State.OPEN;
    private Begun begun;
    private MeridianException failure;

    /**
     * @param attempt  the attempt number, from 1
     * @param priority the priority to begin with (a retried transaction's first priority);
     *     empty to be given one
     */
    ReadWriteAttempt(ClientCore core, int attempt, Optional<Timestamp> priority) {
        core.checkOpen();
        this.core = core;
        this.attempt = attempt;
        this.requestedPriority = priority;
    }

    @Override
    Reader reader(Optional<ByteString> routingKey) {
        Begun txn = begin(routingKey);
        return new Reader(ReadRequests.transaction(txn.id()), request -> readAt(txn, request));
    }

    @Override
    public synchronized void buffer(List<Mutation> more) {
        checkOpen();
        mutations.addAll(List.copyOf(more));
    }

    @Override
    public synchronized List<Mutation> bufferedMutations() {
        return List.copyOf(mutations);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public synchronized Timestamp commit() {
        checkOpen();
        if (failure != null) {
            rollback();
            state = State.FAILED;
            throw failure;
        }
        try {
            Timestamp committed;
            if (begun == null && !mutations.isEmpty()) {
                committed = commitSingleUse();
            } else {
                Begun txn = begin(Optional.empty());
                CommitRequest request = CommitRequest.newBuilder().setTransactionId(txn.id())
                        .addAllMutations(WireFormat.mutations(mutations)).build();
                committed = Timestamp.fromProto(Blocking.join(core.callCommit(txn.address(),
                        DatabaseGrpc.getCommitMethod(), request, Optional.of(txn.id()))).getCommitTimestamp());
            }
            state = State.COMMITTED;
            return committed;
        } catch (MeridianException e) {
            state = State.FAILED;
            note(e);
            throw e;
        }
    }

    @Override
    public void keepAlive() {
        Begun txn;
        synchronized (this) {
            checkOpen();
            txn = begun;
        }
        if (txn == null) {
            return;
        }
        try {
            Blocking.join(core.call(txn.address(), DatabaseGrpc.getKeepAliveMethod(),
                    KeepAliveRequest.newBuilder().setTransactionId(txn.id()).build()));
        } catch (MeridianException e) {
            note(e);
            throw e;
        }
    }

    @Override
    public synchronized void rollback() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ROLLED_BACK;
        if (begun != null) {
            sendRollback(begun);
        }
    }

    /**
     * Ends an attempt whose transaction function threw, without writing anything. A wounded
     * transaction learns of its wound only at its next step at the wounding group, so its
     * function may have read values that never held together (an older transaction changed
     * one after this one read it) and thrown because of them. So an attempt that read and knows
     * of no failure asks the server to validate its reads: a commit without the buffered
     * mutations, which fails {@code ABORTED} unless every lock the reads took is still held.
     *
     * @return the failure proving the attempt could not have committed (the function's
     *     exception may then stem from inconsistent reads, and the runner retries instead of
     *     raising it); empty when the reads held together, or could not be checked
     */
    synchronized Optional<MeridianException> endAfterFunctionFailure() {
        if (state != State.OPEN) {
            return failure();
        }
        if (failure != null || begun == null) {
            rollback();
            return failure();
        }
        state = State.ROLLED_BACK;
        try {
            CommitRequest validate = CommitRequest.newBuilder().setTransactionId(begun.id()).build();
            Blocking.join(core.call(begun.address(), DatabaseGrpc.getCommitMethod(), validate));
        } catch (MeridianException e) {
            note(e);
            if (failure == null) {
                sendRollback(begun); // not validated for another reason: release the locks all the same
            }
        }
        return failure();
    }

    private void sendRollback(Begun txn) {
        try {
            Blocking.join(core.call(txn.address(), DatabaseGrpc.getRollbackMethod(),
                    RollbackRequest.newBuilder().setTransactionId(txn.id()).build()));
        } catch (RuntimeException e) {
            // Best effort: the server forgets an idle transaction and releases its locks anyway.
        }
    }

    @Override
    public void close() {
        rollback();
    }

    /** The priority a retry of this transaction must begin with: the granted one, or the one it was given. */
    synchronized Optional<Timestamp> priority() {
        return begun != null ? Optional.of(begun.priority()) : requestedPriority;
    }

    /** The first failure proving this attempt cannot commit, if one happened. */
    synchronized Optional<MeridianException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Begins the transaction unless it has begun, at the leader of {@code routingKey}. */
    private synchronized Begun begin(Optional<ByteString> routingKey) {
        checkOpen();
        if (begun != null) {
            return begun;
        }
        TransactionOptions.ReadWrite.Builder readWrite = TransactionOptions.ReadWrite.newBuilder();
        requestedPriority.ifPresent(p -> readWrite.setPriority(p.toProto()));
        BeginTransactionRequest request = BeginTransactionRequest.newBuilder()
                .setOptions(TransactionOptions.newBuilder().setReadWrite(readWrite)).build();
        EndpointCursor cursor = core.cursor(routingKey);
        try {
            begun = Blocking.join(core.retrying(number -> cursor.attempt(address -> core.call(address,
                    DatabaseGrpc.getBeginTransactionMethod(), request).thenApply(response -> began(address, response))),
                    RetryPolicy::retryableRead));
        } catch (MeridianException e) {
            note(e);
            throw e;
        }
        return begun;
    }

    private Begun began(String address, BeginTransactionResponse response) {
        Timestamp granted = response.hasPriority() ? Timestamp.fromProto(response.getPriority())
                : requestedPriority.orElse(Timestamp.ofMicros(0));
        return new Begun(response.getTransactionId(), address, requestedPriority.orElse(granted));
    }

    /**
     * Commits the buffered mutations alone, as a single-use commit at the leader of the first
     * mutated key, moving to another endpoint only while they refuse connections (the commit
     * then certainly never left this client).
     */
    private Timestamp commitSingleUse() {
        CommitRequest request = CommitRequest.newBuilder().setSingleUse(true)
                .addAllMutations(WireFormat.mutations(mutations)).build();
        EndpointCursor cursor = core.cursor(Optional.of(WireFormat.routingKey(mutations.get(0))));
        CompletableFuture<CommitResponse> response = core.retrying(number -> cursor.attempt(address ->
                        core.callCommit(address, DatabaseGrpc.getCommitMethod(), request, Optional.empty())),
                failure -> failure instanceof UnavailableException && !failure.details().fromNode());
        return Timestamp.fromProto(Blocking.join(response).getCommitTimestamp());
    }

    private ReadResponse readAt(Begun txn, ReadRequest request) {
        checkOpen();
        try {
            return Blocking.join(core.call(txn.address(), DatabaseGrpc.getReadMethod(), request));
        } catch (MeridianException e) {
            note(e);
            throw e;
        }
    }

    private synchronized void note(MeridianException e) {
        if (failure == null && RetryPolicy.retryableTransaction(e)) {
            failure = e;
        }
    }

    @Override
    synchronized void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the transaction is " + state.name().toLowerCase().replace('_', ' '));
        }
    }
}
