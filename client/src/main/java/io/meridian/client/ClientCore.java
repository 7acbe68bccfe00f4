package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The machinery one {@link MeridianClient} shares among its operations: channels, endpoints,
 * the routing cache, calls, failure handling (mapping, learning routes from errors, marking
 * unreachable endpoints) and the asynchronous retry loop. Thread-safe.
 */
final class ClientCore implements AutoCloseable {

    private final ClientSettings settings;
    private final ChannelPool channels;
    private final Rpc rpc;
    private final Endpoints endpoints;
    private final AdminCalls admin;
    private final RoutingCache routing;
    private final RetryPolicy retryPolicy;
    private final SingleUseOps singleUse;
    private final Executor virtualThreads = task -> Thread.ofVirtual().name("meridian-txn").start(task);
    private volatile boolean closed;

    ClientCore(ClientSettings settings) {
        this.settings = settings;
        this.channels = new ChannelPool(settings);
        this.rpc = new Rpc(channels, settings);
        this.endpoints = new Endpoints(settings.endpoints(), settings.retryClock());
        this.admin = new AdminCalls(rpc, endpoints);
        this.routing = new RoutingCache(admin, endpoints, settings.retryClock());
        this.retryPolicy = new RetryPolicy(settings.retrySettings());
        this.singleUse = new SingleUseOps(this);
    }

    ClientSettings settings() {
        return settings;
    }

    AdminCalls admin() {
        return admin;
    }

    RoutingCache routing() {
        return routing;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    SingleUseOps singleUse() {
        return singleUse;
    }

    RetryClock clock() {
        return settings.retryClock();
    }

    /** Where {@link AsyncClient#readWriteTransaction} runs transaction functions. */
    Executor virtualThreads() {
        return virtualThreads;
    }

    /** A cursor over the endpoints for one operation routed by {@code key}. */
    EndpointCursor cursor(Optional<ByteString> key) {
        return new EndpointCursor(endpoints, routing, key);
    }

    /**
     * Calls {@code method} at {@code address}; the future fails with the mapped
     * {@link MeridianException} (see {@link #failed}).
     */
    <Q, R> CompletableFuture<R> call(String address, MethodDescriptor<Q, R> method, Q request) {
        return mapFailure(rpc.call(address, method, request), address, error -> failed(address, error));
    }

    /**
     * Calls {@code Commit} (or another call whose outcome matters the same way) at
     * {@code address}; the future fails with {@link StatusErrors#forCommit}'s exception.
     */
    <Q, R> CompletableFuture<R> callCommit(String address, MethodDescriptor<Q, R> method, Q request,
            Optional<ByteString> transactionId) {
        return mapFailure(rpc.call(address, method, request), address,
                error -> observe(address, StatusErrors.forCommit(error, transactionId, address)));
    }

    /**
     * Maps a failed call's error and learns from it: a leader hint or wrong range updates the
     * routing cache; a transport-level unavailability marks the endpoint unreachable. An error
     * that is no gRPC status (a closed client, a bug) passes through unchanged.
     */
    RuntimeException failed(String address, Throwable error) {
        Throwable cause = StatusErrors.unwrap(error);
        if (!(cause instanceof StatusRuntimeException || cause instanceof StatusException
                || cause instanceof MeridianException)) {
            return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
        return observe(address, StatusErrors.toException(cause, address));
    }

    /**
     * Runs an operation's attempts until one succeeds, a failure is not {@code retryable}, or
     * the next wait would pass the transaction timeout (then the last failure is reported).
     *
     * @param attempt starts attempt number n (from 1); its future fails with a
     *     {@link MeridianException} for a refusal
     */
    <T> CompletableFuture<T> retrying(IntFunction<CompletableFuture<T>> attempt,
            Predicate<MeridianException> retryable) {
        checkOpen();
        long deadline = clock().nanoTime() + settings.transactionTimeout().toNanos();
        return attemptFrom(1, deadline, attempt, retryable);
    }

    /**
     * Refuses work once the client is closed.
     *
     * @throws IllegalStateException if the client is closed
     */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Meridian client is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        channels.close();
    }

    private <T> CompletableFuture<T> attemptFrom(int number, long deadline, IntFunction<CompletableFuture<T>> attempt,
            Predicate<MeridianException> retryable) {
        CompletableFuture<T> started;
        try {
            started = attempt.apply(number);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = StatusErrors.unwrap(error);
            if (!(cause instanceof MeridianException failure) || !retryable.test(failure) || closed) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            Duration wait = retryPolicy.backoff(number, failure.details().retryDelay());
            if (clock().nanoTime() + wait.toNanos() - deadline > 0) {
                return CompletableFuture.<T>failedFuture(failure);
            }
            return clock().delay(wait).thenCompose(ignored -> attemptFrom(number + 1, deadline, attempt, retryable));
        }).thenCompose(future -> future);
    }

    private <R> CompletableFuture<R> mapFailure(CompletableFuture<R> call, String address,
            Function<Throwable, RuntimeException> mapper) {
        return call.handle((value, error) -> {
            if (error == null) {
                endpoints.markUp(address);
                return CompletableFuture.completedFuture(value);
            }
            return CompletableFuture.<R>failedFuture(mapper.apply(error));
        }).thenCompose(future -> future);
    }

    private MeridianException observe(String address, MeridianException failure) {
        ErrorDetails details = failure.details();
        if (details.fromNode()) {
            routing.learn(details);
        } else if (failure.code() == Status.Code.UNAVAILABLE) {
            endpoints.markDown(address);
        }
        return failure;
    }
}
