package io.meridian.client;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts unary calls on the pool's channels with the client's call timeout and call
 * credentials, as {@link CompletableFuture}s on gRPC's asynchronous calls. A failed future
 * holds the raw {@link io.grpc.StatusRuntimeException}; mapping it is the caller's job (a
 * commit maps differently from a read). Thread-safe.
 */
final class Rpc {

    private final ChannelPool channels;
    private final ClientSettings settings;

    Rpc(ChannelPool channels, ClientSettings settings) {
        this.channels = channels;
        this.settings = settings;
    }

    /** Calls {@code method} at {@code address} with {@code request}. */
    <Q, R> CompletableFuture<R> call(String address, MethodDescriptor<Q, R> method, Q request) {
        CompletableFuture<R> result = new CompletableFuture<>();
        CallOptions options = CallOptions.DEFAULT
                .withDeadlineAfter(settings.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (settings.callCredentials().isPresent()) {
            options = options.withCallCredentials(settings.callCredentials().get());
        }
        try {
            ClientCalls.asyncUnaryCall(channels.channel(address).newCall(method, options), request,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(R value) {
                            result.complete(value);
                        }

                        @Override
                        public void onError(Throwable error) {
                            result.completeExceptionally(error);
                        }

                        @Override
                        public void onCompleted() {
                            // The value arrived in onNext; a unary call without one fails in onError.
                        }
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
