package io.meridian.client;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.v1.LeaderHint;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Statuses shaped like the ones a Meridian node sends (code, ErrorInfo reason, details). */
final class Statuses {

    private Statuses() {
    }

    /** A node's status: {@code code} with an ErrorInfo of {@code reason}, {@code metadata} and {@code details}. */
    static StatusRuntimeException fromNode(Status.Code code, String reason, Map<String, String> metadata,
            List<? extends Message> details) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.value())
                .setMessage(reason.toLowerCase() + " (test)")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("meridian.io")
                        .putAllMetadata(metadata).build()));
        details.forEach(d -> status.addDetails(Any.pack(d)));
        return StatusProto.toStatusRuntimeException(status.build());
    }

    static StatusRuntimeException fromNode(Status.Code code, String reason) {
        return fromNode(code, reason, Map.of(), List.of());
    }

    /** {@code ABORTED}/{@code TXN_ABORTED} with an abort reason and, if not null, a RetryInfo delay. */
    static StatusRuntimeException aborted(String abortReason, Duration retryDelay) {
        List<Message> details = retryDelay == null ? List.of() : List.of(RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryDelay.getSeconds())
                        .setNanos(retryDelay.getNano())).build());
        return fromNode(Status.Code.ABORTED, "TXN_ABORTED", Map.of("abort_reason", abortReason), details);
    }

    /** {@code UNAVAILABLE}/{@code NOT_LEADER} naming the leader of {@code groupId}. */
    static StatusRuntimeException notLeader(long groupId, String leaderNodeId, String leaderAddress) {
        return fromNode(Status.Code.UNAVAILABLE, "NOT_LEADER", Map.of(), List.of(LeaderHint.newBuilder()
                .setGroupId(groupId).setLeaderNodeId(leaderNodeId).setLeaderAddress(leaderAddress).build()));
    }

    /** {@code UNKNOWN}/{@code COMMIT_AMBIGUOUS}: the commit may have applied. */
    static StatusRuntimeException commitAmbiguous() {
        return fromNode(Status.Code.UNKNOWN, "COMMIT_AMBIGUOUS");
    }

    /** A transport-level status with no Meridian details at all. */
    static StatusRuntimeException bare(Status.Code code) {
        return code.toStatus().withDescription("transport says " + code).asRuntimeException();
    }
}
