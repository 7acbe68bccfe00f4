package io.meridian.chaos.run;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A node's standard gRPC health, as any gRPC tool sees it: what the harness checks fences by. */
public final class NodeHealth {

    private static final Duration POLL = Duration.ofMillis(50);

    private NodeHealth() {
    }

    /** The node's health now; {@code UNKNOWN} when it does not answer within 5 s. */
    public static ServingStatus of(String clientAddress) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(clientAddress).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (StatusRuntimeException unreachable) {
            return ServingStatus.UNKNOWN;
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Polls the node until its health is {@code wanted} or {@code patience} has passed.
     *
     * @return how long it took, or empty when it did not get there in time
     */
    public static Optional<Duration> await(String clientAddress, ServingStatus wanted, Duration patience)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        do {
            if (of(clientAddress) == wanted) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            Thread.sleep(POLL.toMillis());
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }
}
