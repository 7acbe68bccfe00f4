package io.meridian.client;

/**
 * The body of a read-write transaction run by
 * {@link MeridianClient#readWriteTransaction(TransactionFunction)}.
 *
 * <p>It may run more than once: after a definite abort the client runs it again, on a fresh
 * {@link TransactionContext}, so it should have no effects outside the transaction other than
 * ones safe to repeat; the value returned by the run that committed is the result.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TransactionFunction<T> {

    /**
     * Reads and buffers writes through {@code transaction}.
     *
     * @param transaction this attempt's context; do not keep it past the call
     * @return the transaction's result, reported if this attempt commits
     */
    T run(TransactionContext transaction);
}
