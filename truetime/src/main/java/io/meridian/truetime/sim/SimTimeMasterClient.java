package io.meridian.truetime.sim;

import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TimeMasterClient;
import io.meridian.truetime.TrueTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A simulated time master reached over a simulated network. A request takes half the round
 * trip to arrive; the master then reads its own {@link TrueTime} (for an honest master a
 * {@code FixedEpsilonSource} over an accurate {@link SimClock}; for a liar, one over a skewed
 * clock), and the answer takes the other half to come back. A silent master never answers.
 *
 * <p>Not thread-safe: used from the simulation's thread with a {@link SimScheduler}.
 */
public final class SimTimeMasterClient implements TimeMasterClient {

    private final String masterId;
    private final SimScheduler scheduler;
    private final TrueTime masterTime;
    private long roundTripMicros;
    private boolean silent;

    /**
     * A master named {@code masterId} answering from {@code masterTime} after {@code roundTrip}.
     */
    public SimTimeMasterClient(String masterId, SimScheduler scheduler, TrueTime masterTime, Duration roundTrip) {
        this.masterId = Objects.requireNonNull(masterId, "masterId");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.masterTime = Objects.requireNonNull(masterTime, "masterTime");
        setRoundTrip(roundTrip);
    }

    /** Changes the round trip of later requests. */
    public SimTimeMasterClient setRoundTrip(Duration roundTrip) {
        long micros = TimeUnit.MICROSECONDS.convert(roundTrip);
        if (micros < 0) {
            throw new IllegalArgumentException("round trip must not be negative: " + roundTrip);
        }
        this.roundTripMicros = micros;
        return this;
    }

    /** Makes later requests go unanswered (true) or answered again (false). */
    public SimTimeMasterClient setSilent(boolean silent) {
        this.silent = silent;
        return this;
    }

    @Override
    public String masterId() {
        return masterId;
    }

    @Override
    public CompletableFuture<TTInterval> now() {
        CompletableFuture<TTInterval> reply = new CompletableFuture<>();
        if (silent) {
            return reply;
        }
        long outboundMicros = roundTripMicros / 2;
        long inboundMicros = roundTripMicros - outboundMicros;
        scheduler.schedule(() -> {
            TTInterval answer = masterTime.now();
            scheduler.schedule(() -> reply.complete(answer), inboundMicros);
        }, outboundMicros);
        return reply;
    }
}
