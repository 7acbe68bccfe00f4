package io.meridian.truetime.grpc;

import io.grpc.stub.StreamObserver;
import io.meridian.api.internal.v1.NowRequest;
import io.meridian.api.internal.v1.NowResponse;
import io.meridian.api.internal.v1.TimeMasterGrpc;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TrueTime;
import java.util.Objects;

/**
 * A time master: answers {@code Now} with its own TrueTime interval and name. The interval
 * comes from whatever {@link TrueTime} it is given: a {@code SystemTimeSource} with the master's
 * own ε on a GPS- or atomic-clock-disciplined machine, or, in tests, a deliberately wrong one.
 * A master that does not know the time answers {@link TTInterval#UNBOUNDED}, which agrees with
 * everything and narrows nothing.
 *
 * <p>Thread-safe: handlers may run concurrently on gRPC's executor.
 */
public final class TimeMasterService extends TimeMasterGrpc.TimeMasterImplBase {

    private final String masterId;
    private final TrueTime trueTime;

    /** A master called {@code masterId} answering from {@code trueTime}. */
    public TimeMasterService(String masterId, TrueTime trueTime) {
        this.masterId = Objects.requireNonNull(masterId, "masterId");
        this.trueTime = Objects.requireNonNull(trueTime, "trueTime");
    }

    @Override
    public void now(NowRequest request, StreamObserver<NowResponse> responseObserver) {
        TTInterval now = trueTime.now();
        responseObserver.onNext(NowResponse.newBuilder()
                .setMasterId(masterId)
                .setEarliestMicros(now.earliestMicros())
                .setLatestMicros(now.latestMicros())
                .build());
        responseObserver.onCompleted();
    }
}
