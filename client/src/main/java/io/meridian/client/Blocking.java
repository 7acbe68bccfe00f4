package io.meridian.client;

import java.util.concurrent.CompletableFuture;

/** Waits for the SDK's futures on behalf of the blocking API, rethrowing their {@link MeridianException}. */
final class Blocking {

    private Blocking() {
    }

    /**
     * The value of {@code future}, waiting for it.
     *
     * @throws MeridianException what the future failed with (mapped if it is not one already)
     */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            Throwable cause = StatusErrors.unwrap(e);
            if (cause instanceof RuntimeException runtime && !(cause instanceof io.grpc.StatusRuntimeException)) {
                throw runtime;
            }
            throw StatusErrors.toException(cause);
        }
    }
}
