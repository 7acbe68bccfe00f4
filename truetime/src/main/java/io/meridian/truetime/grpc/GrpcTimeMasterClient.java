package io.meridian.truetime.grpc;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.meridian.api.internal.v1.NowRequest;
import io.meridian.api.internal.v1.NowResponse;
import io.meridian.api.internal.v1.TimeMasterGrpc;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TimeMasterClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeMasterClient} over a gRPC {@link Channel}. Each {@link #now()} is one
 * {@code TimeMaster.Now} call with a deadline. The future fails if the call fails, if the
 * deadline passes, if the master's interval is malformed, or if the master names itself
 * differently from {@link #masterId()} (a misrouted address); an empty name is accepted.
 *
 * <p>Thread-safe. The future completes on the channel's executor. The caller owns the channel.
 */
public final class GrpcTimeMasterClient implements TimeMasterClient {

    private final String masterId;
    private final TimeMasterGrpc.TimeMasterStub stub;
    private final long deadlineNanos;

    /**
     * A client for the master {@code masterId} reachable through {@code channel}.
     *
     * @param deadline how long one call may take; positive
     */
    public GrpcTimeMasterClient(String masterId, Channel channel, Duration deadline) {
        this.masterId = Objects.requireNonNull(masterId, "masterId");
        this.stub = TimeMasterGrpc.newStub(Objects.requireNonNull(channel, "channel"));
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public String masterId() {
        return masterId;
    }

    @Override
    public CompletableFuture<TTInterval> now() {
        CompletableFuture<TTInterval> reply = new CompletableFuture<>();
        stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)
                .now(NowRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(NowResponse response) {
                        accept(response, reply);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        reply.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        reply.completeExceptionally(new IllegalStateException(
                                "time master " + masterId + " completed without an answer"));
                    }
                });
        return reply;
    }

    private void accept(NowResponse response, CompletableFuture<TTInterval> reply) {
        if (!response.getMasterId().isEmpty() && !response.getMasterId().equals(masterId)) {
            reply.completeExceptionally(new IllegalStateException(
                    "expected time master " + masterId + " but " + response.getMasterId() + " answered"));
            return;
        }
        try {
            reply.complete(new TTInterval(response.getEarliestMicros(), response.getLatestMicros()));
        } catch (IllegalArgumentException malformed) {
            reply.completeExceptionally(malformed);
        }
    }
}
