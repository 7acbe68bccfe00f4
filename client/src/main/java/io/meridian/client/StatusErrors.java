package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place in the client that turns a gRPC status into a typed {@link MeridianException}:
 * the code picks the class, the {@code google.rpc.Status} details (ErrorInfo reason and
 * metadata, RetryInfo, LimitViolation) fill it. The mirror of the server's status mapper.
 *
 * <p>A commit is mapped with stricter rules (package-private {@code forCommit}): any status
 * that leaves its outcome open becomes {@link AmbiguousCommitException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class StatusErrors {

    private StatusErrors() {
    }

    /**
     * The exception for a failed call that was not a commit.
     *
     * @param error a {@link StatusRuntimeException} or {@link StatusException}, possibly wrapped
     *     in a {@link CompletionException} or {@link ExecutionException}; a
     *     {@link MeridianException} is returned as it is; anything else becomes a
     *     {@link MeridianException} with code {@code UNKNOWN}
     * @return the typed exception, with {@code error} as its cause
     */
    public static MeridianException toException(Throwable error) {
        return toException(error, Optional.empty());
    }

    /**
     * The exception for a failed call to {@code endpoint} that was not a commit: as
     * {@link #toException(Throwable)}, and a failure that did not come from a node (the
     * connection failed) names the endpoint and the transport's reason in its message.
     */
    static MeridianException toException(Throwable error, String endpoint) {
        return toException(error, Optional.of(endpoint));
    }

    private static MeridianException toException(Throwable error, Optional<String> endpoint) {
        Throwable e = unwrap(error);
        if (e instanceof MeridianException meridian) {
            return meridian;
        }
        Status status = Status.fromThrowable(e);
        ErrorDetails details = ErrorDetails.of(status, trailersOf(e));
        String message = details.fromNode() ? message(status)
                : endpoint.map(address -> address + ": " + message(status) + transportReason(status))
                        .orElse(message(status));
        return switch (status.getCode()) {
            case ABORTED -> new TransactionAbortedException(details, message, e);
            case INVALID_ARGUMENT -> new InvalidArgumentException(details, message, e);
            case FAILED_PRECONDITION -> new FailedPreconditionException(details, message, e);
            case NOT_FOUND -> new NotFoundException(details, message, e);
            case UNAVAILABLE -> new UnavailableException(details, message, e);
            case DEADLINE_EXCEEDED -> new DeadlineExceededException(details, message, e);
            case UNAUTHENTICATED -> new UnauthenticatedException(details, message, e);
            case PERMISSION_DENIED -> new PermissionDeniedException(details, message, e);
            case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(details, message, e);
            case UNIMPLEMENTED -> new UnimplementedException(details, message, e);
            default -> new MeridianException(status.getCode(), details, message, e);
        };
    }

    /**
     * The exception for a failed commit: {@link AmbiguousCommitException} unless the status
     * proves nothing was applied (see {@link #commitCertainlyNotApplied}).
     *
     * @param transactionId the transaction committed; empty for a single-use commit
     * @param endpoint      the endpoint the commit went to
     */
    static MeridianException forCommit(Throwable error, Optional<ByteString> transactionId, String endpoint) {
        Throwable e = unwrap(error);
        if (e instanceof MeridianException meridian) {
            return meridian;
        }
        Status status = Status.fromThrowable(e);
        ErrorDetails details = ErrorDetails.of(status, trailersOf(e));
        if (commitCertainlyNotApplied(status, details, e)) {
            return toException(e);
        }
        return new AmbiguousCommitException(status.getCode(), details, transactionId, endpoint,
                "the commit sent to " + endpoint + " may or may not have applied: " + message(status), e);
    }

    /**
     * True if a commit that failed with {@code status} certainly applied nothing: either a node
     * answered with a definite refusal (any code except {@code UNKNOWN} and
     * {@code DEADLINE_EXCEEDED}, with an {@code ErrorInfo} reason), or the call never reached a
     * node (a refused connection, an unknown host) or was refused before it ran
     * (authentication, permission, size, an unimplemented method). A lost connection, a
     * timeout or a cancellation after the commit was sent leave the outcome open.
     */
    static boolean commitCertainlyNotApplied(Status status, ErrorDetails details, Throwable error) {
        return switch (status.getCode()) {
            case UNKNOWN, DEADLINE_EXCEEDED, CANCELLED -> false;
            case UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNIMPLEMENTED -> true;
            case UNAVAILABLE -> details.fromNode() || neverConnected(error);
            default -> details.fromNode();
        };
    }

    /** True if the call failed because no connection could be made: nothing was sent. */
    static boolean neverConnected(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Metadata trailersOf(Throwable e) {
        Metadata trailers = Status.trailersFromThrowable(e);
        return trailers == null ? new Metadata() : trailers;
    }

    /** The innermost cause of a transport failure, e.g. {@code  (Connection refused: /127.0.0.1:1)}. */
    private static String transportReason(Status status) {
        Throwable root = status.getCause();
        if (root == null) {
            return "";
        }
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
    }

    private static String message(Status status) {
        String description = status.getDescription();
        return description == null || description.isEmpty() ? status.getCode().name() : description;
    }
}
