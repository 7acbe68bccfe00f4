package io.meridian.txn;

import java.util.Objects;

/**
 * The transaction is aborted: nothing of it committed or will commit. Safe to retry from the
 * start (with the same priority).
 */
public final class TxnAbortedException extends RuntimeException {

    private final AbortReason reason;

    public TxnAbortedException(AbortReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why it aborted. */
    public AbortReason reason() {
        return reason;
    }
}
