package io.meridian.truetime;

import java.util.concurrent.CompletableFuture;

/**
 * The seam between {@link TimeMasterSource} and one time master. Implementations:
 * {@code io.meridian.truetime.grpc.GrpcTimeMasterClient} (a real master over gRPC) and
 * {@code io.meridian.truetime.sim.SimTimeMasterClient} (a simulated master).
 *
 * <p>The master's identity is the client's {@link #masterId()}, not whatever the master calls
 * itself, so a liar cannot hide behind another master's name.
 */
public interface TimeMasterClient {

    /** The name of the master this client talks to; unique among a source's masters. */
    String masterId();

    /**
     * Asks the master for its interval. The future completes with the interval the master
     * claimed when it answered, or exceptionally if it could not be reached; it may complete
     * on any thread. Thread-safe; each call is one independent request.
     */
    CompletableFuture<TTInterval> now();
}
