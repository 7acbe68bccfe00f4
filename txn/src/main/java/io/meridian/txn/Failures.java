package io.meridian.txn;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The cause behind a future's failure, for code that reports it. */
public final class Failures {

    private Failures() {
    }

    /** {@code failure} without the {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The unwrapped cause of {@code failure}, as an unchecked exception to rethrow. */
    public static RuntimeException rethrowable(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
