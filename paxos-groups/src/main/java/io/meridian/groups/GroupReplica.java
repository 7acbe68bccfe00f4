package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
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
     * This replica's safe time {@code t_safe = min(t_paxos_safe, min prepare_ts - 1)}: every
     * write at or below it has been applied here, and no write at or below it will be applied
     * later. {@code t_paxos_safe} is the highest timestamp applied here (writes, prepares,
     * renewals' closed timestamps) or closed by this replica while leading; a transaction
     * prepared here holds the safe time below its prepare timestamp until it is resolved, since
     * it may commit at any timestamp from there on. Never decreases.
     */
    Timestamp safeTs();

    /** True when this replica leads the group, inside a lease, and may assign timestamps. */
    boolean leaseHeld();

    /**
     * Commits {@code mutations} (all inside this group's ranges) in one phase at a timestamp
     * the leader assigns. Completes only after the commit is applied at this leader and
     * {@code TT.after(commit timestamp)}. Validates no reads: a transaction's reads are protected
     * by the locks it holds at the leader (the lock table in {@code io.meridian.txn}). Refused
     * ({@link CommandRejectedException}) for a key outside the group ({@code WRONG_RANGE}) or in a
     * frozen range ({@code RANGE_FROZEN}), and for a mutation overlapping a prepared
     * transaction's writes ({@code LOCK_CONFLICT}).
     *
     * @return the commit timestamp
     */
    CompletableFuture<Timestamp> commit(List<Mutation> mutations);

    /**
     * A strong read at the leader: sees every commit acknowledged before the call. The
     * result's timestamp is the timestamp the read was served at: {@link #strongReadTs}'s rule;
     * with transactions prepared here the read waits for them to resolve.
     */
    CompletableFuture<ReadResult> strongRead(ReadSpec spec);

    /**
     * A read at exactly {@code readTs}, at this replica, once its safe time reaches it; fails
     * with {@link SafeTimeWaitTimeoutException} after {@code maxWait}. A follower waits for the
     * leader's writes and closed timestamps to arrive through the log; the leader, inside its
     * lease and for {@code readTs <= TT.now().latest}, closes {@code readTs} itself (nothing is
     * assigned at or below it afterwards) and waits only for the writes it already assigned at
     * or below it to apply and for the transactions prepared at or below it to resolve.
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

    // ---- Transactions (docs/transactions.md). The lock table lives above, in io.meridian.txn;
    // ---- these are the replicated steps and the state it is rebuilt from.

    /**
     * Prepares a transaction at this group (leader, lease held): assigns a prepare timestamp
     * like a write timestamp and replicates {@code Prepare}. Completes with the prepare
     * timestamp once applied here (a repeated prepare of a prepared transaction completes with
     * the first one's). Fails with {@link CommandRejectedException} ({@code TXN_FINISHED},
     * {@code TXN_DEADLINE}, {@code LOCK_CONFLICT}, {@code WRONG_RANGE}, {@code RANGE_FROZEN}) when
     * nothing was prepared ({@code TXN_DEADLINE} before proposing when the next timestamp is
     * past {@code deadline}), and with storage limit exceptions before proposing. Until it is
     * resolved, the group refuses writes overlapping {@code writes} ({@code LOCK_CONFLICT}) and
     * its safe time stays below the prepare timestamp.
     */
    CompletableFuture<Timestamp> prepare(TxnId txn, List<Mutation> writes, GroupId coordinator, Timestamp deadline);

    /**
     * Commits a transaction as its coordinator (leader, lease held): assigns {@code s} with
     * {@code s >= minTs}, {@code s > TT.now().latest} and above every timestamp assigned before,
     * fails with {@link CommitBoundException} (nothing proposed) when {@code s > maxTs}, replicates
     * {@code CommitTxn} with the group's own {@code writes} and the {@code participants} to tell,
     * and completes with the decision record once applied here and {@code TT.after(s)}. The
     * record may be a decision recorded earlier: a commit (a repeated call; then with its own
     * timestamp, waited out) or an abort ({@code committed = false}). A refused commit fails with
     * {@link CommandRejectedException} ({@code WRONG_RANGE}, {@code RANGE_FROZEN},
     * {@code TXN_DEADLINE} when {@code s > deadline}, {@code LOCK_CONFLICT}), and the group has
     * then recorded the transaction as aborted; {@link ReplicationException} means the outcome is
     * unknown.
     */
    CompletableFuture<TxnRecord> commitTxn(TxnId txn, List<Mutation> writes, List<GroupId> participants,
            Timestamp minTs, Timestamp maxTs, Timestamp deadline);

    /**
     * Replicates a decision ({@code ResolveTxn}, no timestamp assigned) at this group's leader
     * (no lease needed): at a participant it commits the prepared writes at {@code commitTs}
     * ({@code >=} the prepare timestamp, else {@code INVALID}) or drops them; where the
     * transaction is not prepared (the coordinator), an abort is recorded unless a decision
     * exists. Completes with the decision the group holds afterwards, which wins over the one
     * asked for. A commit asked where nothing is prepared or recorded (resolved and forgotten
     * before) is not recorded: the future completes with the commit as asked. {@code deadline}
     * is kept in a record this call creates. Idempotent.
     */
    CompletableFuture<TxnRecord> resolveTxn(TxnId txn, boolean committed, Timestamp commitTs, Timestamp deadline);

    /**
     * Replicates {@code ForgetTxns}: drops the decision records of {@code txns} (prepared
     * transactions stay). Leadership needed, no lease. Forget a record only once no prepare of
     * its transaction can still arrive (after its deadline: such a prepare is refused).
     */
    CompletableFuture<Void> forgetTxns(List<TxnId> txns);

    /** The transactions prepared here and not yet resolved, as this replica has applied them. */
    List<PreparedTxn> preparedTxns();

    /** The decision records this replica holds, as applied. */
    List<TxnRecord> txnRecords();

    /**
     * The end of the lease this leader holds now: no other replica will assign a timestamp at or
     * below it.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    Timestamp leaseEnd();

    /**
     * The term of the lease this replica holds now. It changes whenever leadership is lost
     * and regained, so state a leader keeps in memory (the lock table) is valid only while the
     * term stays the same.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    long leaseTerm();

    /**
     * Commits {@code mutations} in one phase at a timestamp no later than {@code maxTs}, or fails
     * with {@link CommitBoundException} proposing nothing. Otherwise as {@link #commit}.
     */
    CompletableFuture<Timestamp> commitAtMost(List<Mutation> mutations, Timestamp maxTs);

    /**
     * A read of the newest committed versions at the leader (lease held), for a transaction
     * holding locks on what it reads: reads at the applied state's newest timestamp
     * ({@code lastTs}), with no commit wait; refuses frozen ranges ({@code RANGE_FROZEN}) as
     * {@link #strongRead} does. The result's timestamp is that timestamp. Prepared transactions
     * are not waited for: the caller's locks exclude them from what it reads.
     */
    CompletableFuture<ReadResult> latestRead(ReadSpec spec);

    /**
     * The strong read timestamp for a read-only transaction touching only this group (leader,
     * lease held): the group's last timestamp ({@code lastTs}) when no transaction is prepared
     * here, otherwise {@code TT.now().latest}; read it with {@link #readAt}, which waits for the
     * prepared ones to resolve, and answer only after {@code TT.after} it.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    Timestamp strongReadTs();

    /** Proposes any group command at the leader (range move steps, meta commands). */
    CompletableFuture<CommandReply> propose(GroupCommand command);

    /** The meta state this replica has applied; empty for a data group. */
    Optional<MetaState> meta();

    /** Live data bytes in the group's ranges, approximately (for split thresholds). */
    long approximateBytes();

    /** Stops the replica's timers (lease renewal). Does not stop the replication layer. */
    void close();
}
