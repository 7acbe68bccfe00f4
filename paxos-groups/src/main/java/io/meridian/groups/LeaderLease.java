package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.Lease;
import io.meridian.storage.GroupId;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One replica's side of its group's leader lease, and the timestamps it assigns under it.
 *
 * <p>On becoming leader in term {@code T} it proposes {@code Lease{self, T, end, closed_ts}}
 * at once and then every renewal interval until it loses leadership, with
 * {@code end = TT.now().latest + leaseDuration}. The lease is held while all of these hold:
 * the replica leads in {@code T}; its TrueTime is within the fence; the applied lease is its
 * own for {@code T}; {@code TT.after(priorLeaseEnd)} (a new leader assigns nothing until every
 * earlier holder's lease is over); and {@code TT.now().latest < end} of the applied lease. These
 * are judged afresh at every use, so a lease waiting out its predecessor becomes usable the
 * moment TrueTime says so, with no timer.
 *
 * <p>Timestamps (writes, prepares, coordinator commits): {@code s = max(TT.now().latest,
 * lastAssigned + 1, lastTs + 1, minTs)} ({@code TT.now().latest + 1} when the caller needs
 * {@code s > TT.now().latest}), {@code s <= maxTs} ({@link CommitBoundException} otherwise,
 * nothing proposed) and {@code s < end}. Each renewal carries {@code closed_ts = max(lastAssigned,
 * lastTs, TT.now().latest)} and raises {@code lastAssigned} to it, so followers' safe time
 * advances every interval even when the group is idle, and no later write falls at or below it.
 * Writes, prepares, commits, decisions and renewals are proposed under one lock, so the log holds
 * them in timestamp order; a decision ({@code ResolveTxn}) raises {@code lastAssigned} to its
 * commit timestamp, so no write assigned after it is stale when it applies.
 *
 * <p><b>Closing a timestamp</b> ({@link #closeAt}): a leader can promise at once that nothing
 * more will be assigned at or below {@code t} (inside its lease) by raising {@code lastAssigned};
 * once its last proposal is applied here, every write at or below {@code t} is applied, so a
 * read at {@code t} need not wait for the next renewal to carry {@code closed_ts}.
 *
 * <p>Thread-safe.
 */
final class LeaderLease {

    private final GroupId group;
    private final GroupEnvironment env;
    private final ReplicatedLog log;
    private final Supplier<GroupState> state;
    private final long leaseDurationMicros;
    private final long renewalIntervalMicros;

    private final Object lock = new Object();
    private boolean leading;
    private long term = -1;
    private Optional<NodeId> leaderHint = Optional.empty();
    private Timestamp lastAssigned;
    private CompletableFuture<ByteString> lastProposal = CompletableFuture.completedFuture(ByteString.EMPTY);
    private Scheduler.Cancellable renewal;
    private boolean closed;

    /** A write proposed at an assigned timestamp. */
    record Assigned(Timestamp ts, CompletableFuture<ByteString> reply) {
    }

    /**
     * Bounds on an assigned timestamp {@code s}.
     *
     * @param min {@code s >= min}
     * @param max {@code s <= max}, or {@link CommitBoundException} and nothing proposed
     * @param aboveNow {@code s > TT.now().latest} rather than {@code >=}
     */
    record Bounds(Timestamp min, Timestamp max, boolean aboveNow) {

        /** No bound beyond the lease's own. */
        static final Bounds NONE = new Bounds(Timestamp.MIN, Timestamp.MAX, false);
    }

    /** The lease held now, as {@link #requireLease} judged it. */
    private record Held(TTInterval now, GroupLease lease) {
    }

    LeaderLease(GroupId group, GroupEnvironment env, ReplicatedLog log, Supplier<GroupState> state) {
        this.group = group;
        this.env = env;
        this.log = log;
        this.state = state;
        this.leaseDurationMicros = TimeUnit.MICROSECONDS.convert(env.options().leaseDuration());
        this.renewalIntervalMicros = TimeUnit.MICROSECONDS.convert(env.options().leaseRenewalInterval());
        this.lastAssigned = state.get().lastTs();
    }

    /** Starts renewing on gaining leadership, stops on losing it. */
    void leaderChanged(Optional<NodeId> leader, long newTerm) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            leaderHint = leader;
            boolean self = leader.isPresent() && leader.get().equals(env.self());
            if (self && leading && newTerm == term) {
                return;
            }
            cancelRenewal();
            leading = self;
            term = newTerm;
            if (self) {
                // Off the notifying thread: the replication layer may be mid-transition.
                renewal = env.scheduler().schedule(this::renew, 0);
            }
        }
    }

    /** The leader as this replica last heard, for {@link NotLeaderException}. */
    Optional<NodeId> leaderHint() {
        synchronized (lock) {
            return leaderHint;
        }
    }

    /** True when the lease is held now. */
    boolean held() {
        try {
            requireLease();
            return true;
        } catch (NotLeaderException | LeaseUnavailableException e) {
            return false;
        }
    }

    /**
     * The TrueTime interval the lease was judged on.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    TTInterval requireLease() {
        return checkLease().now();
    }

    /**
     * The end of the lease held now.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    Timestamp end() {
        return checkLease().lease().end();
    }

    /**
     * The term of the lease held now.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it leads without a usable lease
     */
    long term() {
        return checkLease().lease().term();
    }

    private Held checkLease() {
        long leaderTerm;
        synchronized (lock) {
            if (!leading || closed) {
                throw new NotLeaderException(group, leaderHint);
            }
            leaderTerm = term;
        }
        TTInterval now = env.fence().nowIfServing().orElseThrow(() -> new LeaseUnavailableException(group,
                "its TrueTime uncertainty is above " + env.fence().maxEpsilon()));
        GroupState applied = state.get();
        if (!applied.initialized()) {
            // The directory may name the group before its InitGroup is applied (at bootstrap).
            throw new LeaseUnavailableException(group, "it is not initialized yet");
        }
        Optional<GroupLease> lease = applied.lease()
                .filter(recorded -> recorded.holder().equals(env.self()) && recorded.term() == leaderTerm);
        if (lease.isEmpty()) {
            throw new LeaseUnavailableException(group, "its lease for term " + leaderTerm + " is not applied yet");
        }
        if (!now.after(applied.priorLeaseEnd())) {
            throw new LeaseUnavailableException(group, "it waits out the previous lease, which ends at "
                    + applied.priorLeaseEnd());
        }
        if (now.latestMicros() >= lease.get().end().micros()) {
            throw new LeaseUnavailableException(group, "its lease ended at " + lease.get().end() + "; renewing");
        }
        return new Held(now, lease.get());
    }

    /**
     * Assigns the next timestamp and proposes {@code command} at it, under the lock.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it has no usable lease, or the lease ends first
     */
    Assigned proposeAtNextTimestamp(Function<Timestamp, GroupCommand> command) {
        return proposeAtNextTimestamp(Bounds.NONE, command);
    }

    /**
     * Assigns the next timestamp within {@code bounds} and proposes {@code command} at it, under
     * the lock.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it has no usable lease, or the lease ends first
     * @throws CommitBoundException when the timestamp would exceed {@code bounds.max()}; nothing
     *     is assigned or proposed
     */
    Assigned proposeAtNextTimestamp(Bounds bounds, Function<Timestamp, GroupCommand> command) {
        synchronized (lock) {
            Held held = checkLease();
            GroupState applied = state.get();
            Timestamp end = held.lease().end();
            long fromNow = bounds.aboveNow() ? Math.addExact(held.now().latestMicros(), 1) : held.now().latestMicros();
            long s = Math.max(Math.max(fromNow, bounds.min().micros()),
                    Math.max(lastAssigned.micros(), applied.lastTs().micros()) + 1);
            if (s > bounds.max().micros()) {
                throw new CommitBoundException(group, new Timestamp(s), bounds.max());
            }
            if (s >= end.micros()) {
                throw new LeaseUnavailableException(group, "its lease ends at " + end
                        + ", before the next timestamp " + s + "us; renewing");
            }
            lastAssigned = new Timestamp(s);
            CompletableFuture<ByteString> reply = propose(command.apply(lastAssigned));
            lastProposal = reply;
            return new Assigned(lastAssigned, reply);
        }
    }

    /**
     * Proposes {@code command}, which applies writes at {@code floor} without assigning it (a
     * decision of a transaction prepared here), under the lock, raising {@code lastAssigned} to
     * {@code floor} so every timestamp assigned later lies above it. Needs leadership only; the
     * future fails with {@link NotLeaderException} elsewhere.
     */
    CompletableFuture<ByteString> proposeAbove(Timestamp floor, GroupCommand command) {
        synchronized (lock) {
            lastAssigned = Timestamp.max(lastAssigned, floor);
            return propose(command);
        }
    }

    /**
     * Closes {@code ts} if this leader can: when it holds its lease, {@code ts < end} and
     * {@code ts <= TT.now().latest} (a later {@code ts} would push every following write
     * timestamp, and its commit wait, into the future), raises {@code lastAssigned} to
     * {@code ts}, so nothing more is assigned at or below it, and returns the reply of the last
     * proposal made before: once that is applied here, so is every write at or below {@code ts}
     * (proposals enter the log in timestamp order). Empty when it cannot close {@code ts}; a
     * barrier that fails says nothing either way.
     */
    Optional<CompletableFuture<ByteString>> closeAt(Timestamp ts) {
        synchronized (lock) {
            Held held;
            try {
                held = checkLease();
            } catch (NotLeaderException | LeaseUnavailableException e) {
                return Optional.empty();
            }
            if (!ts.isBefore(held.lease().end()) || ts.micros() > held.now().latestMicros()) {
                return Optional.empty();
            }
            lastAssigned = Timestamp.max(lastAssigned, ts);
            return Optional.of(lastProposal);
        }
    }

    /** Stops renewing; the lease then lapses. Idempotent. */
    void close() {
        synchronized (lock) {
            closed = true;
            leading = false;
            cancelRenewal();
        }
    }

    private void renew() {
        synchronized (lock) {
            renewal = null;
            if (closed || !leading) {
                return;
            }
            // Fenced: no trustworthy time to promise anything with; the lease lapses meanwhile.
            Optional<TTInterval> now = env.fence().nowIfServing();
            if (now.isPresent()) {
                Timestamp latest = now.get().latest();
                Timestamp closedTs = Timestamp.max(Timestamp.max(lastAssigned, state.get().lastTs()), latest);
                lastAssigned = closedTs;
                Lease lease = Lease.newBuilder()
                        .setHolderNodeId(env.self().value())
                        .setTerm(term)
                        .setEndMicros(Math.addExact(latest.micros(), leaseDurationMicros))
                        .setClosedTsMicros(closedTs.micros())
                        .build();
                // The outcome does not matter: a failed renewal is retried by the next one.
                lastProposal = propose(GroupCommand.newBuilder().setLease(lease).build());
            }
            renewal = env.scheduler().schedule(this::renew, renewalIntervalMicros);
        }
    }

    private CompletableFuture<ByteString> propose(GroupCommand command) {
        try {
            return log.propose(command.toByteString());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void cancelRenewal() {
        if (renewal != null) {
            renewal.cancel();
            renewal = null;
        }
    }
}
