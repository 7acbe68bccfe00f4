package io.meridian.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.RangeDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code google.rpc.Status} details a Meridian node attaches to an error, decoded.
 *
 * @param reason           the {@code ErrorInfo} reason (a server {@code ErrorReason} name), empty
 *                         if the status carried none (the transport, not a node, produced it)
 * @param metadata         the {@code ErrorInfo} metadata, such as {@code abort_reason}
 * @param retryDelay       the {@code RetryInfo} delay, if the server asked for one
 * @param leaderHint       where the group's leader is, for a node that is not it
 * @param ranges           the ranges the node holds, for a request that reached the wrong one
 * @param limitViolation   the limit a request broke
 */
record ErrorDetails(String reason, Map<String, String> metadata, Optional<Duration> retryDelay,
        Optional<LeaderHint> leaderHint, List<RangeDescriptor> ranges, Optional<LimitViolation> limitViolation) {

    /** The details of no detail at all. */
    static final ErrorDetails NONE = new ErrorDetails("", Map.of(), Optional.empty(), Optional.empty(), List.of(),
            Optional.empty());

    /** True if a Meridian node (not the transport) produced the status. */
    boolean fromNode() {
        return !reason.isEmpty();
    }

    /** Decodes the details of {@code status} with {@code trailers}; undecodable details are skipped. */
    static ErrorDetails of(Status status, io.grpc.Metadata trailers) {
        com.google.rpc.Status proto = StatusProto.fromStatusAndTrailers(status, trailers);
        if (proto == null || proto.getDetailsCount() == 0) {
            return NONE;
        }
        String reason = "";
        Map<String, String> metadata = Map.of();
        Optional<Duration> retryDelay = Optional.empty();
        Optional<LeaderHint> leaderHint = Optional.empty();
        List<RangeDescriptor> ranges = new ArrayList<>();
        Optional<LimitViolation> violation = Optional.empty();
        for (Any detail : proto.getDetailsList()) {
            try {
                if (detail.is(ErrorInfo.class)) {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    reason = info.getReason();
                    metadata = Map.copyOf(info.getMetadataMap());
                } else if (detail.is(RetryInfo.class)) {
                    com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
                    retryDelay = Optional.of(Duration.ofSeconds(delay.getSeconds(), delay.getNanos()));
                } else if (detail.is(LeaderHint.class)) {
                    leaderHint = Optional.of(detail.unpack(LeaderHint.class));
                } else if (detail.is(RangeDescriptor.class)) {
                    ranges.add(detail.unpack(RangeDescriptor.class));
                } else if (detail.is(LimitViolation.class)) {
                    violation = Optional.of(detail.unpack(LimitViolation.class));
                }
            } catch (InvalidProtocolBufferException e) {
                // A detail this client cannot decode carries nothing it could act on: skip it.
                continue;
            }
        }
        return new ErrorDetails(reason, metadata, retryDelay, leaderHint, List.copyOf(ranges), violation);
    }
}
