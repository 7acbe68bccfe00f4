package io.meridian.groups;

import io.meridian.truetime.EpsilonFence;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RangeGroupReplica} times its leader lease and bounds its work.
 *
 * @param leaseDuration how long a lease lasts past the {@code TT.now().latest} at which it was
 *     proposed (default {@link #LEASE_DURATION_DEFAULT})
 * @param leaseRenewalInterval how often a leader proposes a renewal, which also advances its
 *     followers' safe time when the group is idle (default {@link #LEASE_RENEWAL_INTERVAL_DEFAULT})
 * @param maxClockUncertainty the largest TrueTime ε the node's {@link EpsilonFence} lets it
 *     serve with (default {@link EpsilonFence#DEFAULT_MAX_EPSILON}). A renewal, its replication
 *     and twice this must fit in one lease, or the lease would lapse between renewals
 * @param approximateBytesRowsMax the most rows {@link RangeGroupReplica#approximateBytes()}
 *     counts before it stops (default {@link #APPROXIMATE_BYTES_ROWS_MAX_DEFAULT})
 */
public record GroupReplicaOptions(Duration leaseDuration, Duration leaseRenewalInterval,
        Duration maxClockUncertainty, long approximateBytesRowsMax) {

    /** Default lease length: 2 s. */
    public static final Duration LEASE_DURATION_DEFAULT = Duration.ofSeconds(2);

    /** Default renewal interval: 500 ms. */
    public static final Duration LEASE_RENEWAL_INTERVAL_DEFAULT = Duration.ofMillis(500);

    /** Default cap on the rows a size estimate reads: 100,000. */
    public static final long APPROXIMATE_BYTES_ROWS_MAX_DEFAULT = 100_000;

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException when a duration is not positive, the rows cap is below
     *     1, or {@code leaseRenewalInterval + 2 * maxClockUncertainty >= leaseDuration}
     */
    public GroupReplicaOptions {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(leaseRenewalInterval, "leaseRenewalInterval");
        Objects.requireNonNull(maxClockUncertainty, "maxClockUncertainty");
        if (leaseDuration.isNegative() || leaseDuration.isZero() || leaseRenewalInterval.isNegative()
                || leaseRenewalInterval.isZero() || maxClockUncertainty.isNegative()) {
            throw new IllegalArgumentException("lease durations must be positive and the clock uncertainty"
                    + " not negative: " + leaseDuration + ", " + leaseRenewalInterval + ", " + maxClockUncertainty);
        }
        if (leaseRenewalInterval.plus(maxClockUncertainty.multipliedBy(2)).compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("lease renewal interval " + leaseRenewalInterval + " plus twice the"
                    + " clock uncertainty " + maxClockUncertainty + " must be below the lease duration " + leaseDuration);
        }
        if (approximateBytesRowsMax < 1) {
            throw new IllegalArgumentException("approximate bytes rows max must be positive: " + approximateBytesRowsMax);
        }
    }

    /** 2 s leases renewed every 500 ms, ε up to 10 ms, size estimates over at most 100,000 rows. */
    public static GroupReplicaOptions defaults() {
        return new GroupReplicaOptions(LEASE_DURATION_DEFAULT, LEASE_RENEWAL_INTERVAL_DEFAULT,
                EpsilonFence.DEFAULT_MAX_EPSILON, APPROXIMATE_BYTES_ROWS_MAX_DEFAULT);
    }

    /** These options with another lease duration and renewal interval. */
    public GroupReplicaOptions withLease(Duration duration, Duration renewalInterval) {
        return new GroupReplicaOptions(duration, renewalInterval, maxClockUncertainty, approximateBytesRowsMax);
    }

    /** These options with another clock uncertainty bound. */
    public GroupReplicaOptions withMaxClockUncertainty(Duration uncertainty) {
        return new GroupReplicaOptions(leaseDuration, leaseRenewalInterval, uncertainty, approximateBytesRowsMax);
    }

    /** These options with another cap on the rows a size estimate reads. */
    public GroupReplicaOptions withApproximateBytesRowsMax(long rows) {
        return new GroupReplicaOptions(leaseDuration, leaseRenewalInterval, maxClockUncertainty, rows);
    }
}
