package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.ReadCheck;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.VersionPage;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One node's replica of one group, as the node's services use it: commits and strong reads
 * at the leader (inside its lease), snapshot reads at any replica once its safe time covers
 * them, splits and the other replicated range operations.
 *
 * <p>Thread-safe. Futures fail with {@link NotLeaderException} (nothing done, retry at the
 * leader), {@link LeaseUnavailableException} (nothing done, retry shortly),
 * {@link CommandRejectedException} (nothing applied; the reason says whether to retry),
 * {@link SafeTimeWaitTimeoutException}, storage exceptions for bad input or reads below the
 * GC horizon, and {@link ReplicationException} when a commit's outcome is unknown.
 */
public interface GroupReplica {

    /** The group. */
    GroupId group();

    /** The group's replicated log at this replica. */
    ReplicatedLog log();

    /** True for the meta group. */
    boolean isMeta();

    /** The ranges this group serves, as this replica has applied them. */
    List<RangeState> ranges();

    /**
     * This replica's safe time: every write at or below it has been applied here, and no write
     * at or below it will be applied later.
     */
    Timestamp safeTs();

    /** True when this replica leads the group, inside a lease, and may assign timestamps. */
    boolean leaseHeld();

    /**
     * Commits {@code mutations} (all inside this group's ranges) at a timestamp the leader
     * assigns, after the read checks pass on the newest data. Completes only after the
     * commit is applied at this leader and {@code TT.after(commit timestamp)}.
     *
     * @return the commit timestamp
     */
    CompletableFuture<Timestamp> commit(List<Mutation> mutations, List<ReadCheck> readChecks);

    /**
     * A strong read at the leader: sees every commit acknowledged before the call. The
     * result's timestamp is the timestamp the read was served at.
     */
    CompletableFuture<ReadResult> strongRead(ReadSpec spec);

    /**
     * A read at exactly {@code readTs}, at this replica, once its safe time reaches it; fails
     * with {@link SafeTimeWaitTimeoutException} after {@code maxWait}.
     */
    CompletableFuture<ReadResult> readAt(Timestamp readTs, ReadSpec spec, Duration maxWait);

    /**
     * A page of the raw stored versions ({@link io.meridian.storage.MvccStore#versions}) of range
     * {@code rangeId} of this group with {@code after < ts <= upTo}, read once this replica's
     * safe time reaches {@code upTo} (so the page is complete for that window); fails with
     * {@link SafeTimeWaitTimeoutException} after {@code maxWait}, and with
     * {@link CommandRejectedException} ({@code INVALID}) when the group does not serve the range.
     * Used to copy a range to another group.
     */
    CompletableFuture<VersionPage> copyVersions(long rangeId, Timestamp after, Timestamp upTo,
            Optional<ByteString> resumeAfterKey, int limit, Duration maxWait);

    /**
     * A read at this replica's safe time, which must be at least {@code minReadTs}; waits up to
     * {@code maxWait} for it.
     */
    CompletableFuture<ReadResult> readAtSafeTime(Timestamp minReadTs, ReadSpec spec, Duration maxWait);

    /**
     * Splits the range holding {@code splitKey} so that {@code splitKey} starts a new range
     * (leader only). Fails with {@link CommandRejectedException} ({@code INVALID}) when
     * {@code splitKey} already starts a range or is not in this group.
     *
     * @return the left and the right range after the split
     */
    CompletableFuture<List<RangeState>> split(ByteString splitKey);

    /** Proposes any group command at the leader (range move steps, meta commands). */
    CompletableFuture<CommandReply> propose(GroupCommand command);

    /** The meta state this replica has applied; empty for a data group. */
    Optional<MetaState> meta();

    /** Live data bytes in the group's ranges, approximately (for split thresholds). */
    long approximateBytes();

    /** Stops the replica's timers (lease renewal). Does not stop the replication layer. */
    void close();
}
