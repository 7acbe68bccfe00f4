package io.meridian.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs a {@link TransactionFunction} to commit: each attempt on a fresh
 * {@link ReadWriteAttempt}, retried after failures that prove the attempt did not commit
 * ({@link RetryPolicy#retryableTransaction}), with backoff, the first attempt's priority, and
 * within the transaction timeout. Ambiguous commits and every other failure end the run. Runs
 * on the caller's thread; one runner per call.
 */
final class TransactionRunner {

    private final ClientCore core;

    TransactionRunner(ClientCore core) {
        this.core = core;
    }

    /** See {@link MeridianClient#readWriteTransaction(TransactionFunction)}. */
    <T> TransactionResult<T> run(TransactionFunction<T> function) {
        core.checkOpen();
        Duration timeout = core.settings().transactionTimeout();
        long deadline = core.clock().nanoTime() + timeout.toNanos();
        Optional<Timestamp> priority = Optional.empty();
        for (int attempt = 1; ; attempt++) {
            ReadWriteAttempt txn = new ReadWriteAttempt(core, attempt, priority);
            MeridianException abort;
            try {
                T value = runFunction(function, txn);
                return new TransactionResult<>(value, txn.commit(), attempt);
            } catch (MeridianException e) {
                if (!RetryPolicy.retryableTransaction(e)) {
                    throw e;
                }
                abort = e;
            }
            priority = txn.priority();
            Duration wait = core.retryPolicy().backoff(attempt, abort.details().retryDelay());
            if (core.clock().nanoTime() + wait.toNanos() - deadline > 0) {
                throw new TransactionTimeoutException(attempt, abort, "the transaction did not commit within its timeout of "
                        + timeout + " after " + attempt + " attempt(s); the last ended with: " + abort.getMessage());
            }
            core.clock().delay(wait).join();
        }
    }

    /**
     * Runs {@code function} on {@code txn}. If it throws, the attempt ends without writing
     * ({@link ReadWriteAttempt#endAfterFunctionFailure}, which validates what it read); the
     * exception is rethrown, unless the attempt had failed in a retryable way (a wound, lost
     * locks: the function may have seen reads that never held together, and its exception may
     * stem from them), in which case that failure is thrown so the attempt is retried.
     */
    private static <T> T runFunction(TransactionFunction<T> function, ReadWriteAttempt txn) {
        try {
            return function.run(txn);
        } catch (RuntimeException | Error e) {
            Optional<MeridianException> failure = txn.endAfterFunctionFailure();
            if (failure.isPresent()) {
                throw failure.get();
            }
            throw e;
        }
    }
}
