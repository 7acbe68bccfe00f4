package io.meridian.groups.ratis;

import com.google.protobuf.ByteString;
import io.meridian.groups.GroupStateMachine;
import io.meridian.groups.NodeId;
import io.meridian.storage.GroupId;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of one group replica: hands committed entries, snapshots and
 * leadership news to the {@link GroupStateMachine}, and records which of this host's proposals
 * reached the log.
 *
 * <p><b>Threading.</b> Ratis calls {@link #applyTransaction}, {@link #takeSnapshot} and
 * {@link #reinitialize} from the group's state-machine updater thread, one at a time, which is
 * the "one thread per group" the group state machine expects; {@link #initialize} runs before
 * that thread starts. Leadership notifications come from other Ratis threads.
 *
 * <p><b>Failures.</b> Anything the group state machine throws goes to the
 * {@link FatalErrorHandler}. The replica then applies nothing more: every later entry fails
 * without reaching the group state machine, so the replica cannot diverge while the node stops.
 */
final class RatisStateMachine extends BaseStateMachine {

    private final GroupId group;
    private final GroupStateMachine delegate;
    private final FatalErrorHandler fatalErrorHandler;
    private final ClientId proposerClientId;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    /** Call ids of this host's proposals that reached the leader's log and are not settled yet. */
    private final Set<Long> appendedCallIds = ConcurrentHashMap.newKeySet();

    /** The first error of the group state machine; once set, nothing more is applied. */
    private volatile Throwable failure;

    /** Where leadership notifications run, one after another, off Ratis' threads. */
    private final Executor notifier;

    /** Guards {@link #notifications}. */
    private final Object notificationLock = new Object();

    /** The last notification queued: each new one runs after it, so they arrive in order. */
    private CompletableFuture<Void> notifications = CompletableFuture.completedFuture(null);

    /** The division this state machine belongs to, looked up on first need (for its term). */
    private volatile RaftServer.Division division;

    RatisStateMachine(GroupId group, GroupStateMachine delegate, FatalErrorHandler fatalErrorHandler,
            ClientId proposerClientId, Executor notifier) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.group = Objects.requireNonNull(group, "group");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.fatalErrorHandler = Objects.requireNonNull(fatalErrorHandler, "fatalErrorHandler");
        this.proposerClientId = Objects.requireNonNull(proposerClientId, "proposerClientId");
    }

    GroupId group() {
        return group;
    }

    /** Whether this host's proposal {@code callId} reached the log; forgets it. */
    boolean forgetProposal(long callId) {
        return appendedCallIds.remove(callId);
    }

    /** The first error the group state machine threw, if any. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId raftGroupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, raftGroupId, raftStorage);
            storage.init(raftStorage);
            catchUpWithNewestSnapshot(storage.getLatestSnapshot());
        }, IOException.class);
    }

    @Override
    public void pause() {
        // Ratis pauses the state machine before it swaps in a snapshot received from the leader,
        // then calls reinitialize() from the updater thread.
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        catchUpWithNewestSnapshot(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /**
     * Installs the newest snapshot into the group state machine if it is ahead of it, and tells
     * Ratis the snapshot's position: Ratis replays the log from there, and the group state
     * machine skips what it has already applied.
     */
    private void catchUpWithNewestSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MD5Hash digest = snapshot.getFile().getFileDigest();
        if (digest != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), digest);
        }
        long snapshotAppliedIndex = SnapshotFile.appliedIndex(file);
        long appliedIndex = delegateCall("read the applied index", delegate::appliedIndex);
        if (snapshotAppliedIndex > appliedIndex) {
            SnapshotFile.read(file, in -> delegateCall("install snapshot " + file.getFileName(), () -> {
                delegate.installSnapshot(in);
                return null;
            }));
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
    }

    @Override
    public TransactionContext preAppendTransaction(TransactionContext transaction) throws IOException {
        // Ratis calls this under the leader's lock just before the entry gets its index: from
        // here on the proposal may commit, so a later "not leader" reply is ambiguous.
        RaftClientRequest request = transaction.getClientRequest();
        if (request != null && proposerClientId.equals(request.getClientId())) {
            appendedCallIds.add(request.getCallId());
        }
        return transaction;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        Throwable earlier = failure;
        if (earlier != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    group + " applies nothing after the fatal error of its state machine", earlier));
        }
        long index = entry.getIndex();
        ByteString command = RatisIds.copyFromRatis(entry.getStateMachineLogEntry().getLogData());
        ByteString reply;
        try {
            reply = delegate.apply(index, entry.getTerm(), command);
        } catch (Throwable error) {
            // An error escaping to Ratis' updater thread would close this division and leave
            // proposers waiting; an exception would make Ratis skip the entry. Either way the
            // replica must stop instead.
            reportFatal("apply entry " + index, error);
            return CompletableFuture.failedFuture(error);
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(
                Message.valueOf(RatisIds.toRatis(reply == null ? ByteString.EMPTY : reply)));
    }

    @Override
    public long takeSnapshot() throws IOException {
        if (failure != null) {
            throw new IOException(group + " takes no snapshot after the fatal error of its state machine", failure);
        }
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        SingleFileSnapshotInfo newest = storage.getLatestSnapshot();
        if (newest != null && newest.getIndex() >= last.getIndex()) {
            return newest.getIndex();
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        SnapshotFile.write(file.toPath(),
                out -> delegateCall("write snapshot " + file.getName(), () -> delegate.writeSnapshot(out)));
        MD5Hash digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), digest), last));
        return last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        Optional<NodeId> leader = Optional.ofNullable(newLeader).map(RatisIds::nodeId);
        notifyLeader(leader);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        // This replica stepped down (or is closing); the next leader is not known yet.
        notifyLeader(Optional.empty());
    }

    @Override
    public void notifyExtendedNoLeader(RoleInfoProto roleInfo) {
        notifyLeader(Optional.empty());
    }

    /**
     * Queues the news for the group state machine. Ratis calls this while holding its own
     * locks, so the delegate runs later on the notifier, never inline: the delegate may take
     * locks that are held while proposing, which needs Ratis' locks.
     */
    private void notifyLeader(Optional<NodeId> leader) {
        long term = currentTerm();
        synchronized (notificationLock) {
            notifications = notifications.thenRunAsync(() -> {
                try {
                    delegate.leaderChanged(leader, term);
                } catch (Throwable error) {
                    reportFatal("notify the leader change to " + leader.map(NodeId::value).orElse("none"), error);
                }
            }, notifier);
        }
    }

    /** The division's current term, or -1 while the division cannot be found (being removed). */
    private long currentTerm() {
        RaftServer.Division known = division;
        if (known == null) {
            try {
                known = getServer().join().getDivision(getGroupId());
                division = known;
            } catch (IOException notFound) {
                return -1;
            }
        }
        return known.getInfo().getCurrentTerm();
    }

    @FunctionalInterface
    private interface DelegateCall<T> {
        T call() throws IOException;
    }

    /** Calls the group state machine; whatever it throws is reported as fatal and rethrown as I/O. */
    private <T> T delegateCall(String what, DelegateCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (Throwable error) {
            reportFatal(what, error);
            throw new IOException(group + ": the state machine failed to " + what, error);
        }
    }

    private void reportFatal(String what, Throwable error) {
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
        }
        fatalErrorHandler.fatal(group + " on " + getId() + ": the state machine failed to " + what, error);
    }
}
