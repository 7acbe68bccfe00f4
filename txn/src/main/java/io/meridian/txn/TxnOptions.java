package io.meridian.txn;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of the transaction protocol.
 *
 * @param idleTimeout a transaction holding locks at a group with no request or keepalive from
 *     its gateway for this long is aborted there and its locks released (default 10 s)
 * @param lockWaitMax the longest a request waits for a lock before the transaction aborts
 *     ({@link AbortReason#LOCK_TIMEOUT}; default 5 s)
 * @param commitTimeout the time a commit has from its start to the coordinator's decision:
 *     the deadline carried by {@code Prepare} and {@code CommitTxn} (default 5 s)
 * @param recordRetention how long after its deadline a group keeps a decision record (default 60 s)
 * @param sweepInterval how often a leader looks for idle transactions, in-doubt prepared
 *     transactions, participants to tell and records to forget (default 1 s)
 * @param keepAliveInterval how often a gateway keeps its open transactions' locks alive
 *     (default 2 s; well under {@code idleTimeout})
 * @param readWaitMax the longest a lock-free read waits for a replica's {@code t_safe} (default 5 s)
 * @param behindCommittingWaitMax the longest a request of an older transaction waits for a lock
 *     held by a younger committing one (which may wait for it at another group) before it aborts
 *     ({@link AbortReason#LOCK_TIMEOUT}; default 100 ms, see {@link LockTable})
 */
public record TxnOptions(Duration idleTimeout, Duration lockWaitMax, Duration commitTimeout,
        Duration recordRetention, Duration sweepInterval, Duration keepAliveInterval, Duration readWaitMax,
        Duration behindCommittingWaitMax) {

    public TxnOptions {
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(lockWaitMax, "lockWaitMax");
        requirePositive(commitTimeout, "commitTimeout");
        requirePositive(recordRetention, "recordRetention");
        requirePositive(sweepInterval, "sweepInterval");
        requirePositive(keepAliveInterval, "keepAliveInterval");
        requirePositive(readWaitMax, "readWaitMax");
        requirePositive(behindCommittingWaitMax, "behindCommittingWaitMax");
        if (keepAliveInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("keepAliveInterval (" + keepAliveInterval
                    + ") must be shorter than idleTimeout (" + idleTimeout + ")");
        }
    }

    /** The defaults listed above. */
    public static TxnOptions defaults() {
        return new TxnOptions(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMillis(100));
    }

    long micros(Duration duration) {
        return Math.multiplyExact(duration.getSeconds(), 1_000_000L) + duration.getNano() / 1_000;
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
