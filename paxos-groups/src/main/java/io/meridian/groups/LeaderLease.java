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
 * <p>Timestamps: {@code s = max(TT.now().latest, lastAssigned + 1, lastTs + 1)}, and
 * {@code s < end}. Each renewal carries {@code closed_ts = max(lastAssigned, lastTs,
 * TT.now().latest)} and raises {@code lastAssigned} to it, so followers' safe time advances every
 * interval even when the group is idle, and no later write falls at or below it. Writes and
 * renewals are proposed under one lock, so the log holds them in timestamp order.
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
    private Scheduler.Cancellable renewal;
    private boolean closed;

    /** A write proposed at an assigned timestamp. */
    record Assigned(Timestamp ts, CompletableFuture<ByteString> reply) {
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
        return now;
    }

    /**
     * Assigns the next timestamp and proposes {@code command} at it, under the lock.
     *
     * @throws NotLeaderException when this replica does not lead
     * @throws LeaseUnavailableException when it has no usable lease, or the lease ends first
     */
    Assigned proposeAtNextTimestamp(Function<Timestamp, GroupCommand> command) {
        synchronized (lock) {
            TTInterval now = requireLease();
            GroupState applied = state.get();
            Timestamp end = applied.lease().orElseThrow().end();
            long s = Math.max(now.latestMicros(),
                    Math.max(lastAssigned.micros(), applied.lastTs().micros()) + 1);
            if (s >= end.micros()) {
                throw new LeaseUnavailableException(group, "its lease ends at " + end
                        + ", before the next timestamp " + s + "us; renewing");
            }
            lastAssigned = new Timestamp(s);
            return new Assigned(lastAssigned, propose(command.apply(lastAssigned)));
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
                propose(GroupCommand.newBuilder().setLease(lease).build());
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
