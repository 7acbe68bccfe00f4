package io.meridian.server.status;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.groups.CommandRejectedException;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicationException;
import io.meridian.groups.SafeTimeWaitTimeoutException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.GroupId;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.ReadBelowHorizonException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.meridian.txn.AbortReason;
import io.meridian.txn.Failures;
import io.meridian.txn.TxnAbortedException;
import io.meridian.txn.TxnAmbiguousException;
import io.meridian.txn.TxnUnreachableException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place on the server that turns an outcome or exception into a gRPC status: the code
 * database.proto documents, an {@code ErrorInfo} detail with the {@link ErrorReason}, and the
 * details that let a caller act ({@link LeaderHint}, {@link RangeDescriptor},
 * {@link LimitViolation}). {@link StatusReader} reads these statuses back.
 *
 * <p>An ambiguous outcome (a {@link ReplicationException} or lost transport on a
 * {@link CallKind#COMMIT}) always becomes {@code UNKNOWN}.
 *
 * <p>Thread-safe if the address lookup is.
 */
public final class StatusMapper {

    /** The {@code ErrorInfo} metadata key naming a {@link ErrorReason#TXN_ABORTED} abort's {@link AbortReason}. */
    public static final String ABORT_REASON = "abort_reason";

    /** The {@code RetryInfo} delay of an aborted transaction (see {@link #aborted}). */
    static final Duration RETRY_AFTER_ABORT = Duration.ofMillis(1);

    /** The {@code RetryInfo} delay of a transaction aborted by a leader change (see {@link #aborted}). */
    static final Duration RETRY_AFTER_LEADER_CHANGE = Duration.ofMillis(20);

    private static final Logger LOG = Logger.getLogger(StatusMapper.class.getName());

    private final Function<NodeId, Optional<String>> addressOf;

    /**
     * @param addressOf a node's client address, for the {@link LeaderHint} of a
     *     {@link NotLeaderException}; empty when unknown
     */
    public StatusMapper(Function<NodeId, Optional<String>> addressOf) {
        this.addressOf = Objects.requireNonNull(addressOf, "addressOf");
    }

    /** The status for {@code error} from a call of {@code kind} with no group in context. */
    public StatusRuntimeException toStatus(Throwable error, CallKind kind) {
        return toStatus(error, kind, Optional.empty());
    }

    /**
     * The status for {@code error} from a call of {@code kind}.
     *
     * @param group the group the call was about, when there is one: it fills the group of
     *     {@link LeaderHint} and {@link RangeDescriptor} details
     */
    public StatusRuntimeException toStatus(Throwable error, CallKind kind, Optional<GroupId> group) {
        Throwable e = unwrap(error);
        long groupId = group.map(GroupId::value).orElse(0L);
        return switch (e) {
            case RemoteStatusException remote -> remote.status();
            case StatusRuntimeException raw -> raw;
            case NotLeaderException notLeader -> build(ErrorReason.NOT_LEADER, e.getMessage(),
                    List.of(leaderHint(notLeader.group().value(), notLeader.leaderHint())));
            case LeaseUnavailableException lease -> build(ErrorReason.LEASE_UNAVAILABLE, e.getMessage(),
                    List.of(leaderHint(groupId, Optional.empty())));
            case CommandRejectedException rejected -> rejected(rejected, groupId);
            case ReadBelowHorizonException below -> build(ErrorReason.READ_BELOW_HORIZON, e.getMessage(), List.of());
            case SafeTimeWaitTimeoutException wait -> build(ErrorReason.SAFE_TIME_WAIT_TIMEOUT, e.getMessage(), List.of());
            case LimitExceededException limit -> build(ErrorReason.LIMIT_EXCEEDED, e.getMessage(),
                    List.of(violation(limit)));
            case RequestFailedException failed -> build(failed.reason(), e.getMessage(),
                    failed.violation().<List<Message>>map(List::of).orElse(List.of()));
            case ReplicationException replication -> unknownOutcome(kind, e);
            case TxnAbortedException aborted -> aborted(aborted.reason(), e.getMessage());
            case TxnAmbiguousException ambiguous -> build(ErrorReason.COMMIT_AMBIGUOUS, e.getMessage(), List.of());
            case TxnUnreachableException unreachable -> unknownOutcome(kind, e);
            case NodeUnreachableException unreachable -> unknownOutcome(kind, e);
            case TimeoutException timeout -> kind == CallKind.COMMIT ? ambiguous(e)
                    : build(ErrorReason.DEADLINE, "deadline passed: " + e.getMessage(), List.of());
            case CancellationException cancelled -> kind == CallKind.COMMIT ? ambiguous(e)
                    : build(ErrorReason.DEADLINE, "cancelled: " + e.getMessage(), List.of());
            case IllegalArgumentException invalid -> build(ErrorReason.INVALID_REQUEST, e.getMessage(), List.of());
            default -> unexpected(kind, e);
        };
    }

    /** A status for {@code reason} with {@code message} and no other details. */
    public StatusRuntimeException status(ErrorReason reason, String message) {
        return build(reason, message, List.of());
    }

    /** A limit violation detail for a storage limit that was broken. */
    public static LimitViolation violation(LimitExceededException e) {
        return LimitViolation.newBuilder().setLimit(e.limit().name()).setMaximum(e.limit().max())
                .setActual(e.actual()).build();
    }

    /** The gRPC code a reason maps to: the table of database.proto's header. */
    public static Status.Code code(ErrorReason reason) {
        return switch (reason) {
            case NOT_LEADER, LEASE_UNAVAILABLE, UNAVAILABLE, FENCED, RANGE_FROZEN -> Status.Code.UNAVAILABLE;
            case WRONG_RANGE, READ_BELOW_HORIZON, MOVE_REFUSED -> Status.Code.FAILED_PRECONDITION;
            case STALE_TIMESTAMP, TXN_ABORTED -> Status.Code.ABORTED;
            case INVALID, LIMIT_EXCEEDED, INVALID_REQUEST -> Status.Code.INVALID_ARGUMENT;
            case SAFE_TIME_WAIT_TIMEOUT, DEADLINE -> Status.Code.DEADLINE_EXCEEDED;
            case COMMIT_AMBIGUOUS -> Status.Code.UNKNOWN;
            case TRANSACTION_NOT_FOUND -> Status.Code.NOT_FOUND;
            case NOT_SERVED_YET -> Status.Code.UNIMPLEMENTED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** Strips the future wrappers around the failure that matters. */
    public static Throwable unwrap(Throwable error) {
        return Failures.unwrap(error);
    }

    private StatusRuntimeException rejected(CommandRejectedException e, long groupId) {
        return switch (e.reason()) {
            case REJECT_REASON_WRONG_RANGE -> {
                List<Message> details = new ArrayList<>();
                e.ranges().forEach(r -> details.add(ProtoConversions.descriptor(r, groupId, List.of(), Optional.empty())));
                yield build(ErrorReason.WRONG_RANGE, e.getMessage(), details);
            }
            case REJECT_REASON_STALE_TIMESTAMP -> build(ErrorReason.STALE_TIMESTAMP, e.getMessage(), List.of());
            case REJECT_REASON_INVALID -> build(ErrorReason.INVALID, e.getMessage(), List.of());
            case REJECT_REASON_RANGE_FROZEN -> build(ErrorReason.RANGE_FROZEN, e.getMessage(), List.of());
            case REJECT_REASON_TXN_ABORTED, REJECT_REASON_LOCK_CONFLICT, REJECT_REASON_TXN_FINISHED,
                    REJECT_REASON_TXN_DEADLINE -> aborted(AbortReason.CONFLICT, e.getMessage());
            case REJECT_REASON_UNSPECIFIED, UNRECOGNIZED ->
                    build(ErrorReason.INTERNAL, "command rejected without a reason: " + e.getMessage(), List.of());
        };
    }

    /**
     * {@code ABORTED} with the abort's reason and a {@code RetryInfo} hint: how long a client
     * should wait before it retries (it adds its own jitter and backoff on top). After a leader
     * change the new leader may still be taking over its lease, so that retry waits longer;
     * every other abort can be retried at once, with the transaction's first priority.
     */
    static StatusRuntimeException aborted(AbortReason reason, String message) {
        Duration delay = reason == AbortReason.LOCKS_LOST ? RETRY_AFTER_LEADER_CHANGE : RETRY_AFTER_ABORT;
        RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setNanos((int) delay.toNanos())).build();
        return build(ErrorReason.TXN_ABORTED, message, List.of(retry), Map.of(ABORT_REASON, reason.name()));
    }

    private StatusRuntimeException unknownOutcome(CallKind kind, Throwable e) {
        return kind == CallKind.COMMIT ? ambiguous(e)
                : build(ErrorReason.UNAVAILABLE, e.getMessage(), List.of());
    }

    private StatusRuntimeException ambiguous(Throwable e) {
        return build(ErrorReason.COMMIT_AMBIGUOUS, "the commit may or may not have applied: " + e.getMessage(),
                List.of());
    }

    private StatusRuntimeException unexpected(CallKind kind, Throwable e) {
        LOG.log(Level.WARNING, "unexpected failure of a " + kind + " call", e);
        return kind == CallKind.COMMIT ? ambiguous(e)
                : build(ErrorReason.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
    }

    private LeaderHint leaderHint(long groupId, Optional<NodeId> leader) {
        LeaderHint.Builder hint = LeaderHint.newBuilder().setGroupId(groupId);
        leader.ifPresent(node -> {
            hint.setLeaderNodeId(node.value());
            addressOf.apply(node).ifPresent(hint::setLeaderAddress);
        });
        return hint.build();
    }

    private static StatusRuntimeException build(ErrorReason reason, String message, List<? extends Message> details) {
        return build(reason, message, details, Map.of());
    }

    private static StatusRuntimeException build(ErrorReason reason, String message, List<? extends Message> details,
            Map<String, String> metadata) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code(reason).value())
                .setMessage(message == null ? reason.name() : message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason.name()).setDomain(ErrorReason.DOMAIN)
                        .putAllMetadata(metadata).build()));
        details.forEach(d -> status.addDetails(Any.pack(d)));
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
