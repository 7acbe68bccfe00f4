package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.Optional;

/**
 * The commit's outcome is unknown: it may or may not have committed. Raised when a commit
 * answered {@code UNKNOWN} or {@code DEADLINE_EXCEEDED}, or the connection was lost after the
 * commit was sent. The SDK never retries such a commit; the caller must find out (for example
 * by reading what the transaction wrote) before deciding to run it again.
 *
 * <p>{@link #code()} is the code that made the outcome ambiguous; {@link #getCause()} the
 * underlying failure.
 */
public final class AmbiguousCommitException extends MeridianException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<ByteString> transactionId;
    private final String endpoint;

    AmbiguousCommitException(Status.Code code, ErrorDetails details, Optional<ByteString> transactionId,
            String endpoint, String message, Throwable cause) {
        super(code, details, message, cause);
        this.transactionId = transactionId;
        this.endpoint = endpoint;
    }

    /** The id of the transaction whose commit is in doubt; empty for a single-use commit. */
    public Optional<ByteString> transactionId() {
        return transactionId;
    }

    /** The endpoint ({@code host:port}) the commit was sent to. */
    public String endpoint() {
        return endpoint;
    }
}
