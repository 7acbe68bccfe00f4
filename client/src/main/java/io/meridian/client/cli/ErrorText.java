package io.meridian.client.cli;

import io.meridian.client.AmbiguousCommitException;
import io.meridian.client.InvalidArgumentException;
import io.meridian.client.MeridianException;
import io.meridian.client.TransactionAbortedException;
import io.meridian.client.TransactionTimeoutException;

/**
 * How the shell words a failed request, in one line without the {@code error: } prefix: the
 * gRPC code and the server's message, then what the SDK decoded from the status details (an
 * abort's reason, a broken limit). An ambiguous commit says so first, since what the user must
 * do about it differs from every other failure. Stateless.
 */
final class ErrorText {

    private ErrorText() {
    }

    /**
     * Describes a failure.
     *
     * @param failure what the SDK threw
     * @return e.g. {@code ABORTED: wounded by an older transaction [WOUNDED]}
     */
    static String describe(MeridianException failure) {
        return switch (failure) {
            case AmbiguousCommitException ambiguous -> "ambiguous commit: " + codeAndMessage(ambiguous);
            case TransactionAbortedException aborted -> codeAndMessage(aborted)
                    + aborted.abortReason().map(reason -> " [" + reason + "]").orElse("");
            case InvalidArgumentException invalid -> codeAndMessage(invalid) + invalid.limitViolation()
                    .map(v -> " [limit " + v.limit() + ": " + v.actual() + " > " + v.maximum() + "]").orElse("");
            case TransactionTimeoutException timeout -> codeAndMessage(timeout) + " (after " + timeout.attempts()
                    + (timeout.attempts() == 1 ? " attempt" : " attempts") + "; the last: " + codeAndMessage(timeout.lastFailure()) + ")";
            default -> codeAndMessage(failure);
        };
    }

    private static String codeAndMessage(MeridianException failure) {
        String code = failure.code().name();
        String message = failure.getMessage();
        return message == null || message.isBlank() || message.equals(code) ? code : code + ": " + message;
    }
}
