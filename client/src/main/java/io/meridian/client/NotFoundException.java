package io.meridian.client;

import io.grpc.Status;

/**
 * {@code NOT_FOUND}: the transaction id is unknown to the node: finished, rolled back, or forgotten
 * after its idle timeout (reason {@code TRANSACTION_NOT_FOUND}). Nothing of it will commit;
 * start a new transaction.
 */
public final class NotFoundException extends MeridianException {

    private static final long serialVersionUID = 1L;

    NotFoundException(ErrorDetails details, String message, Throwable cause) {
        super(Status.Code.NOT_FOUND, details, message, cause);
    }
}
