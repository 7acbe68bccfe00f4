package io.meridian.txn.sim;

import io.meridian.groups.GroupEnvironment;
import io.meridian.groups.GroupReplicaOptions;
import io.meridian.groups.NodeId;
import io.meridian.groups.RangeGroupReplica;
import io.meridian.groups.RangeStateMachine;
import io.meridian.groups.SimGroupLog;
import io.meridian.groups.TestStores;
import io.meridian.storage.GroupId;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.txn.TxnOptions;
import io.meridian.txn.TxnParticipant;
import io.meridian.txn.TxnTransport;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.EpsilonFence;
import io.meridian.truetime.FixedEpsilonSource;
import io.meridian.truetime.TrueTime;
import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.sim.SimScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One simulated node: its clock (drifting, maybe skewed beyond its ε on purpose), TrueTime of
 * ±ε over it, one LMDB store for every group replica it holds, and per replica the group's
 * state machine, {@link RangeGroupReplica} and {@link TxnParticipant}. A crash closes all of
 * them and the store (the clock keeps running); a restart reopens the store and rebuilds them,
 * and the group logs replay what the store had not applied.
 *
 * <p>Not thread-safe: the simulation's thread drives it.
 */
final class SimNode {

    /** One group replica on this node. */
    static final class Hosted {
        final SimGroupLog log;
        SimGroupLog.Member member;
        RangeStateMachine stateMachine;
        RangeGroupReplica replica;
        TxnParticipant participant;

        Hosted(SimGroupLog log) {
            this.log = log;
        }
    }

    final NodeId id;
    final SimClock clock;
    final long epsilonMicros;
    final TrueTime trueTime;
    final EpsilonFence fence;
    final CommitWait commitWait;
    private final SimScheduler scheduler;
    private final Path dir;
    private final GroupReplicaOptions groupOptions;
    private final TxnOptions txnOptions;
    private final TxnTransport transport;
    private final Map<Long, Hosted> hosted = new TreeMap<>();
    private LmdbMvccStore store;
    private boolean up;
    private int incarnation;

    SimNode(NodeId id, SimClock clock, long epsilonMicros, SimScheduler scheduler, Path dir,
            GroupReplicaOptions groupOptions, TxnOptions txnOptions, TxnTransport transport) {
        this.id = id;
        this.clock = clock;
        this.epsilonMicros = epsilonMicros;
        this.trueTime = new FixedEpsilonSource(clock, Duration.ofNanos(epsilonMicros * 1_000));
        this.fence = new EpsilonFence(trueTime, groupOptions.maxClockUncertainty());
        this.commitWait = new CommitWait(trueTime, scheduler);
        this.scheduler = scheduler;
        this.dir = dir;
        this.groupOptions = groupOptions;
        this.txnOptions = txnOptions;
        this.transport = transport;
        this.store = TestStores.open(dir, id.value());
        this.up = true;
    }

    /** Joins {@code group}'s log with a new replica here (at world construction). */
    void host(GroupId group, SimGroupLog log) {
        Hosted replica = new Hosted(log);
        hosted.put(group.value(), replica);
        replica.stateMachine = new RangeStateMachine(group, store);
        replica.member = log.join(id, replica.stateMachine);
        build(replica);
    }

    private void build(Hosted replica) {
        GroupEnvironment env = new GroupEnvironment(store, trueTime, scheduler, commitWait, fence, id, groupOptions);
        replica.replica = new RangeGroupReplica(env, replica.member, replica.stateMachine);
        replica.participant = new TxnParticipant(replica.replica, trueTime, scheduler, transport, txnOptions);
    }

    boolean up() {
        return up;
    }

    int incarnation() {
        return incarnation;
    }

    /** The replica of {@code group} here, if the node holds one. */
    Optional<Hosted> replica(GroupId group) {
        return Optional.ofNullable(hosted.get(group.value()));
    }

    /** The transaction layer for {@code group}, while up. */
    Optional<TxnParticipant> participant(GroupId group) {
        return up ? replica(group).map(h -> h.participant) : Optional.empty();
    }

    /** The store, while up. */
    LmdbMvccStore store() {
        if (!up) {
            throw new IllegalStateException(id + " is down");
        }
        return store;
    }

    /**
     * Crashes the node: its logs stop applying here, every replica and participant closes, the
     * store closes. Answers to requests it had received are lost ({@link #incarnation()} changes).
     */
    void crash() {
        up = false;
        incarnation++;
        for (Map.Entry<Long, Hosted> entry : hosted.entrySet()) {
            entry.getValue().log.pause(id);
        }
        for (Hosted replica : hosted.values()) {
            replica.participant.close();
            replica.replica.close();
        }
        store.close();
    }

    /** Restarts the node: reopens the store, rebuilds every replica, replays and learns the leaders. */
    void restart() {
        store = TestStores.open(dir, id.value());
        incarnation++;
        up = true;
        for (Map.Entry<Long, Hosted> entry : hosted.entrySet()) {
            Hosted replica = entry.getValue();
            replica.stateMachine = new RangeStateMachine(new GroupId(entry.getKey()), store);
            build(replica);
            replica.log.restart(id, replica.stateMachine);
            replica.log.resume(id);
            replica.log.tell(id);
        }
    }

    /** Closes everything at the end of a run. */
    void close() {
        if (!up) {
            return;
        }
        up = false;
        for (Hosted replica : hosted.values()) {
            replica.participant.close();
            replica.replica.close();
        }
        store.close();
    }
}
