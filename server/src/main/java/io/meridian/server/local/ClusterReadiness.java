package io.meridian.server.local;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.RangeInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits, through the public Admin API, until a freshly started cluster can take requests: at
 * least one range, and a leader for every range. A node prints its serving line when its gRPC
 * server is up, which can be before its groups have elected leaders; waiting here keeps the
 * first command typed (or piped) into the shell from meeting {@code UNAVAILABLE}.
 */
final class ClusterReadiness {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    /** What the wait found. */
    enum Outcome {
        /** Every range has a leader. */
        READY,
        /** The bound passed first. */
        TIMED_OUT,
        /** The node does not serve ListRanges, so readiness cannot be told. */
        UNKNOWN
    }

    private ClusterReadiness() {
    }

    /**
     * Polls ListRanges until every range has a leader, for at most {@code timeout}.
     *
     * @param channel a channel to any node
     * @param timeout the bound
     * @return what it found
     * @throws InterruptedException if the waiting thread is interrupted
     */
    static Outcome awaitLeaders(Channel channel, Duration timeout) throws InterruptedException {
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel);
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                List<RangeInfo> ranges = admin.withDeadlineAfter(CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                        .listRanges(ListRangesRequest.getDefaultInstance()).getRangesList();
                if (!ranges.isEmpty() && ranges.stream().noneMatch(r -> r.getRange().getLeaderNodeId().isEmpty())) {
                    return Outcome.READY;
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                    return Outcome.UNKNOWN;
                }
                // UNAVAILABLE and the like: the node is still coming up; ask again.
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                return Outcome.TIMED_OUT;
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }
}
