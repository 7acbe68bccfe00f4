package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.LimitViolation;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Shows how {@link StatusErrors} turns every status a node (or the transport) can produce into
 * the exception a user catches: the class per code, the reason and details carried over, and
 * the stricter reading of a failed commit, where anything that leaves the outcome open is an
 * {@link AmbiguousCommitException}.
 */
class StatusErrorsTest {

    /** Every server {@code ErrorReason} with the code the server's mapper gives it, and the class a user sees. */
    static Stream<Arguments> serverReasons() {
        return Stream.of(
                Arguments.of("NOT_LEADER", Status.Code.UNAVAILABLE, UnavailableException.class),
                Arguments.of("LEASE_UNAVAILABLE", Status.Code.UNAVAILABLE, UnavailableException.class),
                Arguments.of("UNAVAILABLE", Status.Code.UNAVAILABLE, UnavailableException.class),
                Arguments.of("FENCED", Status.Code.UNAVAILABLE, UnavailableException.class),
                Arguments.of("RANGE_FROZEN", Status.Code.UNAVAILABLE, UnavailableException.class),
                Arguments.of("WRONG_RANGE", Status.Code.FAILED_PRECONDITION, FailedPreconditionException.class),
                Arguments.of("READ_BELOW_HORIZON", Status.Code.FAILED_PRECONDITION, FailedPreconditionException.class),
                Arguments.of("MOVE_REFUSED", Status.Code.FAILED_PRECONDITION, FailedPreconditionException.class),
                Arguments.of("STALE_TIMESTAMP", Status.Code.ABORTED, TransactionAbortedException.class),
                Arguments.of("TXN_ABORTED", Status.Code.ABORTED, TransactionAbortedException.class),
                Arguments.of("INVALID", Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class),
                Arguments.of("LIMIT_EXCEEDED", Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class),
                Arguments.of("INVALID_REQUEST", Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class),
                Arguments.of("SAFE_TIME_WAIT_TIMEOUT", Status.Code.DEADLINE_EXCEEDED, DeadlineExceededException.class),
                Arguments.of("DEADLINE", Status.Code.DEADLINE_EXCEEDED, DeadlineExceededException.class),
                Arguments.of("TRANSACTION_NOT_FOUND", Status.Code.NOT_FOUND, NotFoundException.class),
                Arguments.of("NOT_SERVED_YET", Status.Code.UNIMPLEMENTED, UnimplementedException.class),
                Arguments.of("INTERNAL", Status.Code.INTERNAL, MeridianException.class),
                Arguments.of("COMMIT_AMBIGUOUS", Status.Code.UNKNOWN, MeridianException.class));
    }

    @ParameterizedTest
    @MethodSource("serverReasons")
    void everyServerReasonMapsToItsClassWithTheReason(String reason, Status.Code code,
            Class<? extends MeridianException> expected) {
        MeridianException e = StatusErrors.toException(Statuses.fromNode(code, reason));

        assertEquals(expected, e.getClass());
        assertEquals(code, e.code());
        assertEquals(reason, e.reason());
        assertEquals(reason.toLowerCase() + " (test)", e.getMessage());
        assertInstanceOf(StatusRuntimeException.class, e.getCause());
    }

    @ParameterizedTest
    @EnumSource(Status.Code.class)
    void everyTransportCodeMapsWithoutAReason(Status.Code code) {
        if (code == Status.Code.OK) {
            return;
        }
        MeridianException e = StatusErrors.toException(Statuses.bare(code));

        assertEquals(code, e.code());
        assertEquals("", e.reason());
        Class<? extends MeridianException> expected = switch (code) {
            case ABORTED -> TransactionAbortedException.class;
            case INVALID_ARGUMENT -> InvalidArgumentException.class;
            case FAILED_PRECONDITION -> FailedPreconditionException.class;
            case NOT_FOUND -> NotFoundException.class;
            case UNAVAILABLE -> UnavailableException.class;
            case DEADLINE_EXCEEDED -> DeadlineExceededException.class;
            case UNAUTHENTICATED -> UnauthenticatedException.class;
            case PERMISSION_DENIED -> PermissionDeniedException.class;
            case RESOURCE_EXHAUSTED -> ResourceExhaustedException.class;
            case UNIMPLEMENTED -> UnimplementedException.class;
            default -> MeridianException.class;
        };
        assertEquals(expected, e.getClass());
    }

    @Test
    void abortCarriesItsReasonAndTheServersRetryDelay() {
        TransactionAbortedException e = (TransactionAbortedException) StatusErrors.toException(
                Statuses.aborted("WOUNDED", Duration.ofMillis(20)));

        assertEquals(Optional.of("WOUNDED"), e.abortReason());
        assertEquals(Optional.of(Duration.ofMillis(20)), e.retryDelay());
        assertEquals(Map.of("abort_reason", "WOUNDED"), e.metadata());
    }

    @Test
    void limitViolationIsNamed() {
        InvalidArgumentException e = (InvalidArgumentException) StatusErrors.toException(Statuses.fromNode(
                Status.Code.INVALID_ARGUMENT, "LIMIT_EXCEEDED", Map.of(), List.of(LimitViolation.newBuilder()
                        .setLimit("KEY_BYTES").setMaximum(480).setActual(600).build())));

        assertEquals(new InvalidArgumentException.LimitViolation("KEY_BYTES", 480, 600), e.limitViolation().orElseThrow());
    }

    @Test
    void wrappersAreStrippedAndMeridianExceptionsPassThrough() {
        MeridianException inner = StatusErrors.toException(Statuses.bare(Status.Code.UNAVAILABLE));

        assertSame(inner, StatusErrors.toException(new CompletionException(inner)));
        assertInstanceOf(NotFoundException.class,
                StatusErrors.toException(new CompletionException(Statuses.bare(Status.Code.NOT_FOUND))));
    }

    /** Commit failures that leave the outcome open. */
    static Stream<StatusRuntimeException> ambiguousCommits() {
        return Stream.of(Statuses.commitAmbiguous(), Statuses.bare(Status.Code.UNKNOWN),
                Statuses.bare(Status.Code.DEADLINE_EXCEEDED), Statuses.bare(Status.Code.CANCELLED),
                Statuses.bare(Status.Code.UNAVAILABLE), Statuses.bare(Status.Code.INTERNAL),
                Statuses.fromNode(Status.Code.DEADLINE_EXCEEDED, "DEADLINE"));
    }

    @ParameterizedTest
    @MethodSource("ambiguousCommits")
    void commitWhoseOutcomeIsOpenIsAmbiguous(StatusRuntimeException status) {
        MeridianException e = StatusErrors.forCommit(status, Optional.empty(), "host:1");

        AmbiguousCommitException ambiguous = assertInstanceOf(AmbiguousCommitException.class, e);
        assertEquals(status.getStatus().getCode(), ambiguous.code());
        assertEquals("host:1", ambiguous.endpoint());
        assertTrue(ambiguous.getMessage().contains("may or may not have applied"), ambiguous.getMessage());
    }

    /** Commit failures that prove nothing was applied. */
    static Stream<Arguments> definiteCommitFailures() {
        StatusRuntimeException refused = Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new ConnectException("Connection refused")).asRuntimeException();
        return Stream.of(
                Arguments.of(Statuses.aborted("WOUNDED", null), TransactionAbortedException.class),
                Arguments.of(Statuses.fromNode(Status.Code.UNAVAILABLE, "NOT_LEADER"), UnavailableException.class),
                Arguments.of(Statuses.fromNode(Status.Code.INVALID_ARGUMENT, "LIMIT_EXCEEDED"),
                        InvalidArgumentException.class),
                Arguments.of(Statuses.fromNode(Status.Code.NOT_FOUND, "TRANSACTION_NOT_FOUND"), NotFoundException.class),
                Arguments.of(refused, UnavailableException.class),
                Arguments.of(Statuses.bare(Status.Code.UNAUTHENTICATED), UnauthenticatedException.class),
                Arguments.of(Statuses.bare(Status.Code.PERMISSION_DENIED), PermissionDeniedException.class),
                Arguments.of(Statuses.bare(Status.Code.RESOURCE_EXHAUSTED), ResourceExhaustedException.class));
    }

    @ParameterizedTest
    @MethodSource("definiteCommitFailures")
    void commitRefusedForSureKeepsItsOwnClass(StatusRuntimeException status, Class<? extends MeridianException> expected) {
        assertEquals(expected, StatusErrors.forCommit(status, Optional.empty(), "host:1").getClass());
    }
}
