package io.meridian.server.gateway;

import io.grpc.Deadline;
import io.meridian.server.routing.Backoff;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.storage.Mutation;
import io.meridian.truetime.Timestamp;
import io.meridian.txn.AbortReason;
import io.meridian.txn.ReadWriteTxn;
import io.meridian.txn.TxnAbortedException;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.Failures;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commits through the {@link TxnDriver}: one-phase when one group is written, two-phase commit
 * across groups otherwise. A read-write transaction's commit is tried once: an abort reaches the
 * client ({@code ABORTED}, retry with the same priority). A single-use commit (blind writes,
 * nothing read) is retried here after an abort, with the same priority and a refreshed
 * directory, until its deadline: an aborted attempt committed nothing, and with no reads a retry
 * cannot change what the client meant. An ambiguous outcome is never retried.
 *
 * <p>Thread-safe; each call runs on the caller's (virtual) thread.
 */
public final class CommitGateway {

    private final MetaCache meta;
    private final TxnDriver driver;

    public CommitGateway(MetaCache meta, TxnDriver driver) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.driver = Objects.requireNonNull(driver, "driver");
    }

    /** The driver read-write transactions begin with. */
    public TxnDriver driver() {
        return driver;
    }

    /** Commits blind writes as a single-use transaction; see the class comment. */
    public Timestamp commitSingleUse(List<Mutation> mutations, Deadline deadline) {
        Backoff backoff = new Backoff();
        OptionalLong priority = OptionalLong.empty();
        while (true) {
            ReadWriteTxn txn = driver.begin(priority);
            priority = OptionalLong.of(txn.priorityMicros());
            try {
                return await(txn.commit(mutations), deadline);
            } catch (TxnAbortedException e) {
                if (deadline.isExpired()) {
                    throw e;
                }
                meta.refresh();
                backoff.pause(deadline);
            }
        }
    }

    /** Commits the read-write transaction {@code txn} with its buffered {@code mutations}. */
    public Timestamp commit(ReadWriteTxn txn, List<Mutation> mutations, Deadline deadline) {
        try {
            return await(txn.commit(mutations), deadline);
        } catch (TxnAbortedException e) {
            if (e.reason() == AbortReason.CONFLICT) {
                // Possibly a range that moved or split: the client's retry should route afresh.
                meta.refresh();
            }
            throw e;
        }
    }

    private static Timestamp await(CompletableFuture<Timestamp> commit, Deadline deadline) {
        try {
            return commit.get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw Failures.rethrowable(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestFailedException(ErrorReason.COMMIT_AMBIGUOUS,
                    "the deadline passed before the commit's outcome was known: it may or may not have committed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(ErrorReason.COMMIT_AMBIGUOUS, "interrupted while committing", e);
        }
    }
}
