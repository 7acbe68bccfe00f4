package io.meridian.server.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.txn.AbortReason;
import io.meridian.txn.TxnAbortedException;
import io.meridian.txn.TxnAmbiguousException;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.groups.CommandRejectedException;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.groups.ReplicationException;
import io.meridian.groups.SafeTimeWaitTimeoutException;
import io.meridian.storage.GroupId;
import io.meridian.storage.Limit;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.truetime.Timestamp;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Shows the status every outcome reaches a client with, per database.proto's error table: the
 * code, the Meridian reason, and the details a caller acts on; that an unknown outcome of a
 * commit is always {@code UNKNOWN}; and that {@link StatusReader} reads a node's status back
 * into the exception the gateway acts on.
 */
class StatusMapperTest {

    private static final GroupId GROUP = new GroupId(7);
    private static final RangeState RANGE = RangeState.newBuilder().setRangeId(3)
            .setSpan(KeyRange.newBuilder().setStart(ByteString.copyFromUtf8("a")).setEnd(ByteString.copyFromUtf8("m")))
            .setGeneration(2).build();

    private final StatusMapper mapper = new StatusMapper(
            node -> Optional.ofNullable(Map.of("n2", "10.0.0.2:7000").get(node.value())));

    private static com.google.rpc.Status proto(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e);
    }

    private static void assertMapped(StatusRuntimeException e, Status.Code code, ErrorReason reason) {
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertEquals(Optional.of(reason), StatusReader.reason(e));
    }

    @Test
    void notLeaderIsUnavailableWithTheLeaderHint() {
        StatusRuntimeException e = mapper.toStatus(new NotLeaderException(GROUP, Optional.of(new NodeId("n2"))),
                CallKind.COMMIT);

        assertMapped(e, Status.Code.UNAVAILABLE, ErrorReason.NOT_LEADER);
        LeaderHint hint = StatusReader.detail(proto(e), LeaderHint.class).orElseThrow();
        assertEquals(7, hint.getGroupId());
        assertEquals("n2", hint.getLeaderNodeId());
        assertEquals("10.0.0.2:7000", hint.getLeaderAddress());
    }

    @Test
    void anUnavailableLeaseIsUnavailable() {
        assertMapped(mapper.toStatus(new LeaseUnavailableException(GROUP, "waiting out the old lease"), CallKind.READ,
                Optional.of(GROUP)), Status.Code.UNAVAILABLE, ErrorReason.LEASE_UNAVAILABLE);
    }

    @Test
    void aWrongRangeIsFailedPreconditionWithTheGroupsRanges() {
        StatusRuntimeException e = mapper.toStatus(new CommandRejectedException(RejectReason.REJECT_REASON_WRONG_RANGE,
                "key z is outside", List.of(RANGE)), CallKind.COMMIT, Optional.of(GROUP));

        assertMapped(e, Status.Code.FAILED_PRECONDITION, ErrorReason.WRONG_RANGE);
        RangeDescriptor descriptor = StatusReader.detail(proto(e), RangeDescriptor.class).orElseThrow();
        assertEquals(3, descriptor.getRangeId());
        assertEquals(7, descriptor.getGroupId());
        assertEquals(2, descriptor.getGeneration());
        assertEquals(RANGE.getSpan(), descriptor.getSpan());
    }

    @Test
    void rejectionsMapByReason() {
        assertMapped(rejected(RejectReason.REJECT_REASON_LOCK_CONFLICT), Status.Code.ABORTED, ErrorReason.TXN_ABORTED);
        assertMapped(rejected(RejectReason.REJECT_REASON_TXN_DEADLINE), Status.Code.ABORTED, ErrorReason.TXN_ABORTED);
        assertMapped(rejected(RejectReason.REJECT_REASON_STALE_TIMESTAMP), Status.Code.ABORTED,
                ErrorReason.STALE_TIMESTAMP);
        assertMapped(rejected(RejectReason.REJECT_REASON_INVALID), Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID);
    }

    private StatusRuntimeException rejected(RejectReason reason) {
        return mapper.toStatus(new CommandRejectedException(reason, "no", List.of()), CallKind.COMMIT);
    }

    @Test
    void storageAndWaitingFailuresMapToTheirCodes() {
        assertMapped(mapper.toStatus(new ReadBelowHorizonException(new Timestamp(1), new Timestamp(5)), CallKind.READ),
                Status.Code.FAILED_PRECONDITION, ErrorReason.READ_BELOW_HORIZON);
        assertMapped(mapper.toStatus(new SafeTimeWaitTimeoutException(new Timestamp(9), new Timestamp(5), "g1 is behind"), CallKind.READ),
                Status.Code.DEADLINE_EXCEEDED, ErrorReason.SAFE_TIME_WAIT_TIMEOUT);
        assertMapped(mapper.toStatus(new TimeoutException("slow"), CallKind.READ), Status.Code.DEADLINE_EXCEEDED,
                ErrorReason.DEADLINE);
    }

    @Test
    void aBrokenLimitIsInvalidArgumentNamingTheLimit() {
        StatusRuntimeException e = mapper.toStatus(new LimitExceededException(Limit.VALUE_BYTES, 2_000_000),
                CallKind.COMMIT);

        assertMapped(e, Status.Code.INVALID_ARGUMENT, ErrorReason.LIMIT_EXCEEDED);
        LimitViolation violation = StatusReader.detail(proto(e), LimitViolation.class).orElseThrow();
        assertEquals("VALUE_BYTES", violation.getLimit());
        assertEquals(1 << 20, violation.getMaximum());
        assertEquals(2_000_000, violation.getActual());
    }

    @Test
    void anUnknownOutcomeOfACommitIsAlwaysUnknownAndOfAReadIsRetryable() {
        ReplicationException replication = new ReplicationException("timed out", null);
        assertMapped(mapper.toStatus(new CompletionException(replication), CallKind.COMMIT), Status.Code.UNKNOWN,
                ErrorReason.COMMIT_AMBIGUOUS);
        assertMapped(mapper.toStatus(replication, CallKind.READ), Status.Code.UNAVAILABLE, ErrorReason.UNAVAILABLE);

        NodeUnreachableException lost = new NodeUnreachableException("n3", new RuntimeException("connection reset"));
        assertMapped(mapper.toStatus(lost, CallKind.COMMIT), Status.Code.UNKNOWN, ErrorReason.COMMIT_AMBIGUOUS);
        assertMapped(mapper.toStatus(lost, CallKind.READ), Status.Code.UNAVAILABLE, ErrorReason.UNAVAILABLE);
        assertMapped(mapper.toStatus(new TimeoutException("slow"), CallKind.COMMIT), Status.Code.UNKNOWN,
                ErrorReason.COMMIT_AMBIGUOUS);
        assertMapped(mapper.toStatus(new IllegalStateException("bug"), CallKind.COMMIT), Status.Code.UNKNOWN,
                ErrorReason.COMMIT_AMBIGUOUS);
        assertMapped(mapper.toStatus(new IllegalStateException("bug"), CallKind.READ), Status.Code.INTERNAL,
                ErrorReason.INTERNAL);
    }

    @Test
    void gatewayFailuresMapByReason() {
        assertMapped(mapper.toStatus(RequestFailedException.invalid("keys[0] is empty"), CallKind.READ),
                Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
        assertMapped(mapper.toStatus(new RequestFailedException(ErrorReason.TRANSACTION_NOT_FOUND, "gone"),
                CallKind.COMMIT), Status.Code.NOT_FOUND, ErrorReason.TRANSACTION_NOT_FOUND);
        assertMapped(mapper.toStatus(new RequestFailedException(ErrorReason.NOT_SERVED_YET, "2PC"), CallKind.COMMIT),
                Status.Code.UNIMPLEMENTED, ErrorReason.NOT_SERVED_YET);
        assertMapped(mapper.toStatus(new RequestFailedException(ErrorReason.FENCED, "ε"), CallKind.READ),
                Status.Code.UNAVAILABLE, ErrorReason.FENCED);
    }

    @Test
    void everyReasonHasTheCodeOfTheErrorTable() {
        for (ErrorReason reason : ErrorReason.values()) {
            StatusRuntimeException e = mapper.status(reason, "x");
            assertEquals(StatusMapper.code(reason), e.getStatus().getCode());
            assertEquals(Optional.of(reason), StatusReader.reason(e));
        }
    }

    @Test
    void theReaderTurnsANodesStatusBackIntoWhatTheGatewayActsOn() {
        RuntimeException notLeader = StatusReader.fromRemote(mapper.toStatus(
                new NotLeaderException(GROUP, Optional.of(new NodeId("n2"))), CallKind.COMMIT), "n1");
        NotLeaderException back = assertInstanceOf(NotLeaderException.class, notLeader);
        assertEquals(GROUP, back.group());
        assertEquals(Optional.of(new NodeId("n2")), back.leaderHint());

        assertInstanceOf(LeaseUnavailableException.class, StatusReader.fromRemote(mapper.toStatus(
                new LeaseUnavailableException(GROUP, "x"), CallKind.READ, Optional.of(GROUP)), "n1"));

        CommandRejectedException wrongRange = assertInstanceOf(CommandRejectedException.class,
                StatusReader.fromRemote(mapper.toStatus(new CommandRejectedException(
                        RejectReason.REJECT_REASON_WRONG_RANGE, "outside", List.of(RANGE)), CallKind.COMMIT,
                        Optional.of(GROUP)), "n1"));
        assertEquals(RejectReason.REJECT_REASON_WRONG_RANGE, wrongRange.reason());
        assertEquals(List.of(RANGE), wrongRange.ranges());
    }

    @Test
    void anAbortedTransactionTravelsWithItsReasonAndAnAmbiguousCommitIsUnknown() {
        StatusRuntimeException aborted = mapper.toStatus(new TxnAbortedException(AbortReason.WOUNDED, "wounded by an older one"),
                CallKind.COMMIT);
        assertEquals(Status.Code.ABORTED, aborted.getStatus().getCode());
        TxnAbortedException read = assertInstanceOf(TxnAbortedException.class, StatusReader.fromRemote(aborted, "n1"));
        assertEquals(AbortReason.WOUNDED, read.reason());
        assertEquals(Duration.ofMillis(1), retryDelay(aborted), "retry at once, with the first priority");
        StatusRuntimeException leaderChange = mapper.toStatus(new TxnAbortedException(AbortReason.LOCKS_LOST,
                "the leader changed"), CallKind.COMMIT);
        assertEquals(Duration.ofMillis(20), retryDelay(leaderChange), "give the new leader time to take over");
        assertEquals(Status.Code.UNKNOWN, mapper.toStatus(new TxnAmbiguousException("lost answer", null),
                CallKind.COMMIT).getStatus().getCode());
    }

    @Test
    void theReaderRelaysOtherMeridianErrorsAndTreatsBareStatusesAsTransportFailures() {
        StatusRuntimeException conflict = rejected(RejectReason.REJECT_REASON_STALE_TIMESTAMP);
        RemoteStatusException relayed = assertInstanceOf(RemoteStatusException.class,
                StatusReader.fromRemote(conflict, "n1"));
        assertSame(conflict, relayed.status());
        assertSame(conflict, mapper.toStatus(relayed, CallKind.COMMIT));

        NodeUnreachableException refused = assertInstanceOf(NodeUnreachableException.class, StatusReader.fromRemote(
                Status.UNAVAILABLE.withCause(new ConnectException("refused")).asRuntimeException(), "n1"));
        assertTrue(refused.certainlyNotDelivered());
        NodeUnreachableException reset = assertInstanceOf(NodeUnreachableException.class, StatusReader.fromRemote(
                Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException(), "n1"));
        assertTrue(!reset.certainlyNotDelivered());
    }

    private static Duration retryDelay(StatusRuntimeException e) {
        com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(e);
        for (com.google.protobuf.Any detail : status.getDetailsList()) {
            if (detail.is(com.google.rpc.RetryInfo.class)) {
                try {
                    com.google.protobuf.Duration delay = detail.unpack(com.google.rpc.RetryInfo.class).getRetryDelay();
                    return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        throw new AssertionError("no RetryInfo in " + status);
    }
}
