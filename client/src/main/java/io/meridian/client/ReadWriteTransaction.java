package io.meridian.client;

/**
 * A read-write transaction the caller drives by hand (an interactive shell, say): read, buffer
 * writes, then {@link #commit()} or {@link #rollback()}. Nothing is retried: an abort surfaces
 * as {@link TransactionAbortedException} and the caller decides. Prefer
 * {@link MeridianClient#readWriteTransaction(TransactionFunction)}, which retries aborts.
 *
 * <p>Thread-safe; after commit or rollback every call except {@link #close()} throws
 * {@link IllegalStateException}.
 */
public interface ReadWriteTransaction extends TransactionContext, AutoCloseable {

    /**
     * Commits the buffered mutations.
     *
     * @return the commit timestamp
     * @throws TransactionAbortedException   if the transaction aborted: nothing was applied
     * @throws AmbiguousCommitException      if the outcome is unknown: it may have committed
     * @throws MeridianException             for other refusals, none of which applied anything
     */
    Timestamp commit();

    /**
     * Tells the server the transaction is still in use. The server ends a transaction that has
     * made no request for 10 s (its idle timeout) and releases its locks; a program that holds a
     * transaction open while it waits for something else (a person, another system) calls this
     * every few seconds meanwhile. Does nothing before the transaction began (its first read).
     *
     * @throws NotFoundException          ({@code TRANSACTION_NOT_FOUND}) if the server already ended it
     * @throws MeridianException          if the server cannot be reached
     * @throws IllegalStateException      after commit or rollback
     */
    void keepAlive();

    /** Abandons the transaction and releases its locks (best effort; never throws). */
    void rollback();

    /** Rolls back unless already committed or rolled back. */
    @Override
    void close();
}
