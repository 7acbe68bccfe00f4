package io.meridian.client;

/**
 * A read-only transaction: every read sees the one snapshot at {@link #readTimestamp()}, takes
 * no locks and never aborts. Made by {@link MeridianClient#readOnlyTransaction(TimestampBound)}.
 *
 * <p>The transaction begins (and its timestamp is fixed) at its first read, on the node leading
 * the first key read, or at the first call of {@link #readTimestamp()}. Like every transaction it
 * lives on that one node: a node failure mid-transaction surfaces as an exception (start a new
 * transaction, possibly at the same {@link TimestampBound#readTimestamp(Timestamp)}).
 *
 * <p>Thread-safe: reads may run concurrently. Close it to free the server's state early;
 * the server also forgets it after its idle timeout.
 */
public interface ReadOnlyTransaction extends ReadContext, AutoCloseable {

    /** The snapshot every read of this transaction sees; begins the transaction if needed. */
    Timestamp readTimestamp();

    /** Ends the transaction (best effort; never throws). Later reads throw {@link IllegalStateException}. */
    @Override
    void close();
}
