package io.meridian.server.status;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.groups.CommandRejectedException;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.GroupId;
import java.util.ArrayList;
import java.util.List;
import io.meridian.txn.AbortReason;
import io.meridian.txn.TxnAbortedException;
import java.util.Optional;

/**
 * {@link StatusMapper}'s twin: reads the status another node returned for a forwarded request
 * back into the exception a gateway acts on. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code NOT_LEADER} → {@link NotLeaderException} with the hinted leader;</li>
 *   <li>{@code LEASE_UNAVAILABLE} → {@link LeaseUnavailableException};</li>
 *   <li>{@code WRONG_RANGE} → {@link CommandRejectedException} with the node's ranges;</li>
 *   <li>{@code RANGE_FROZEN} → {@link CommandRejectedException}, so gateways retry it;</li>
 *   <li>any other Meridian error → {@link RemoteStatusException}, relayed unchanged;</li>
 *   <li>a status without Meridian's {@code ErrorInfo} (the transport's own) →
 *       {@link NodeUnreachableException}: the request may or may not have run there.</li>
 * </ul>
 */
public final class StatusReader {

    private StatusReader() {
    }

    /** The exception for a status returned by {@code target}. */
    public static RuntimeException fromRemote(StatusRuntimeException e, String target) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        Optional<ErrorReason> reason = status == null ? Optional.empty() : reason(status);
        if (reason.isEmpty()) {
            return new NodeUnreachableException(target, e);
        }
        return switch (reason.get()) {
            case NOT_LEADER -> {
                LeaderHint hint = detail(status, LeaderHint.class).orElse(LeaderHint.getDefaultInstance());
                Optional<NodeId> leader = hint.getLeaderNodeId().isEmpty() ? Optional.empty()
                        : Optional.of(new NodeId(hint.getLeaderNodeId()));
                yield new NotLeaderException(new GroupId(hint.getGroupId()), leader);
            }
            case LEASE_UNAVAILABLE -> new LeaseUnavailableException(
                    new GroupId(detail(status, LeaderHint.class).map(LeaderHint::getGroupId).orElse(0L)),
                    status.getMessage());
            case WRONG_RANGE -> new CommandRejectedException(RejectReason.REJECT_REASON_WRONG_RANGE,
                    status.getMessage(), details(status, RangeDescriptor.class).stream()
                            .map(ProtoConversions::rangeState).toList());
            case RANGE_FROZEN -> new CommandRejectedException(RejectReason.REJECT_REASON_RANGE_FROZEN,
                    status.getMessage(), List.of());
            case TXN_ABORTED -> new TxnAbortedException(abortReason(status), status.getMessage());
            default -> new RemoteStatusException(e);
        };
    }

    private static AbortReason abortReason(com.google.rpc.Status status) {
        String name = detail(status, ErrorInfo.class).map(info -> info.getMetadataOrDefault(StatusMapper.ABORT_REASON, ""))
                .orElse("");
        try {
            return AbortReason.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return AbortReason.DECIDED;
        }
    }

    /** The Meridian reason in a status, if it carries one. */
    public static Optional<ErrorReason> reason(com.google.rpc.Status status) {
        return detail(status, ErrorInfo.class)
                .filter(info -> info.getDomain().equals(ErrorReason.DOMAIN))
                .flatMap(info -> {
                    try {
                        return Optional.of(ErrorReason.valueOf(info.getReason()));
                    } catch (IllegalArgumentException unknown) {
                        return Optional.of(ErrorReason.INTERNAL);
                    }
                });
    }

    /** The Meridian reason of a failed call, if its status carries one. */
    public static Optional<ErrorReason> reason(Throwable e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        return status == null ? Optional.empty() : reason(status);
    }

    /** The first detail of type {@code type} in a status. */
    public static <T extends com.google.protobuf.Message> Optional<T> detail(com.google.rpc.Status status, Class<T> type) {
        List<T> all = details(status, type);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every detail of type {@code type} in a status, in order. */
    public static <T extends com.google.protobuf.Message> List<T> details(com.google.rpc.Status status, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    found.add(any.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    // A malformed detail is ignored: the code and message still say what happened.
                }
            }
        }
        return found;
    }
}
