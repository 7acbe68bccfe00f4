package io.meridian.txn;

/**
 * A transaction step got no answer: the request may or may not have reached the group's
 * leader and run there.
 */
public final class TxnUnreachableException extends RuntimeException {

    public TxnUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
