package io.meridian.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code ABORTED}: the transaction did not commit and nothing of it was applied (wounded by an
 * older transaction, a lock wait timed out, locks lost to a leader change, …). Safe to retry
 * from the start; {@link MeridianClient#readWriteTransaction(TransactionFunction)} does so
 * itself, so callers see this only from hand-driven transactions ({@link ReadWriteTransaction})
 * or as the last abort inside a {@link TransactionTimeoutException}.
 */
public final class TransactionAbortedException extends MeridianException {

    /** The {@code ErrorInfo} metadata key of the abort reason. */
    static final String ABORT_REASON_KEY = "abort_reason";

    private static final long serialVersionUID = 1L;

    private final transient Optional<Duration> retryDelay;

    TransactionAbortedException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.ABORTED, details, message, cause);
        this.retryDelay = details.retryDelay();
    }

    /** Why the transaction aborted (such as {@code WOUNDED}, {@code LOCK_TIMEOUT}), if the server said. */
    public Optional<String> abortReason() {
        return Optional.ofNullable(metadata().get(ABORT_REASON_KEY));
    }

    /** How long the server asked the client to wait before retrying ({@code RetryInfo}), if it did. */
    public Optional<Duration> retryDelay() {
        return retryDelay;
    }
}
