package io.meridian.txn;

/**
 * A commit's outcome is unknown: the transaction may or may not have committed. Never retry it
 * blindly; read to find out.
 */
public final class TxnAmbiguousException extends RuntimeException {

    public TxnAmbiguousException(String message, Throwable cause) {
        super(message, cause);
    }
}
