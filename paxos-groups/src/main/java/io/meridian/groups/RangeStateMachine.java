package io.meridian.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.MvccStore;
import io.meridian.storage.Mutation;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.SnapshotFormatException;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link GroupStateMachine} of a group hosting ranges (or of the meta group) over the
 * node's {@link MvccStore}: applies {@code InitGroup}, {@code Write}, {@code Lease},
 * {@code Split}, the range-move and transaction commands and {@code MetaCommand} as
 * {@link CommandOutcomes} decides, writing each command's mutations, the new {@link GroupState}
 * (as group metadata) and the applied index in one {@link WriteBatch}. The state is loaded from
 * the store at construction, so a restarted replica resumes exactly where its last batch left it.
 *
 * <p>A refused command is a {@code Rejected} reply that changes nothing but the applied index
 * (one exception: a refused {@code CommitTxn} records the transaction as aborted).
 * That includes a write the store refuses ({@link LimitExceededException},
 * {@link NonIncreasingTimestampException}): the batch is built and applied before the state
 * moves, and the store writes nothing of a refused batch. Any other exception (store full,
 * incomplete import, corrupt metadata) escapes: an environment failure that must stop the node.
 *
 * <p><b>Snapshots</b> are a header (magic, version, then a length-delimited {@link InitGroup}
 * listing the ranges) followed by the store's span snapshot of those ranges, which carries the
 * data, the metadata and the applied index; the header lists served and incoming ranges (an
 * incoming range's copied data must survive a snapshot). Installing one replaces those spans and
 * the group's records; data the replica held in spans the snapshot does not list stays (a
 * released range's data may be shared with the group it moved to on the same node).
 *
 * <p><b>Transactions</b>: {@code Prepare}, {@code CommitTxn}, {@code ResolveTxn} and
 * {@code ForgetTxns} as {@link TxnCommands} decides. The prepared transactions and decision
 * records are part of the {@link GroupState} ({@link GroupTxns}), so they are published with the
 * state; each command's changes to them are written in its batch as prepared records and
 * {@code "txn/<hex id>"} metadata, loaded back at construction and after a snapshot install
 * (the span snapshot carries the group's metadata and prepared records).
 *
 * <p><b>Range moves</b>: {@code IngestVersions}, {@code FreezeRange}, {@code UnfreezeRange},
 * {@code AcceptRange} and {@code ReleaseRange} as {@link RangeHandoffs} decides; ingested
 * versions are written at their own timestamps in the same batch as the state.
 *
 * <p><b>Threading</b>: as {@link GroupStateMachine} says. {@link #state()} may be read from any
 * thread; it is published after the store holds it. Listeners hear every applied state on the
 * apply thread.
 */
public final class RangeStateMachine implements GroupStateMachine {

    private static final int SNAPSHOT_MAGIC = 0x4d524753; // "MRGS"
    private static final int SNAPSHOT_VERSION = 1;

    private final GroupId group;
    private final MvccStore store;
    private final CommandOutcomes outcomes;
    private final List<GroupStateListener> listeners = new CopyOnWriteArrayList<>();
    private final Object leaderLock = new Object();
    private Optional<NodeId> leader = Optional.empty();
    private long leaderTerm = -1;
    private volatile GroupState state;

    /**
     * The state machine of {@code group} over {@code store}, resuming from what the store holds.
     *
     * @throws IllegalStateException when the stored group state is corrupt
     */
    public RangeStateMachine(GroupId group, MvccStore store) {
        this.group = Objects.requireNonNull(group, "group");
        this.store = Objects.requireNonNull(store, "store");
        this.outcomes = new CommandOutcomes(group);
        this.state = load(group, store);
    }

    @Override
    public GroupId group() {
        return group;
    }

    /** The store the group's data lives in. */
    public MvccStore store() {
        return store;
    }

    /** The state as of the last applied command; safe to read from any thread. */
    public GroupState state() {
        return state;
    }

    @Override
    public long appliedIndex() {
        return state.appliedIndex();
    }

    /**
     * Adds a listener. If a leader change was reported before, the listener hears the latest
     * one before this method returns.
     */
    public void addListener(GroupStateListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (leaderLock) {
            listeners.add(listener);
            if (leaderTerm >= 0 || leader.isPresent()) {
                listener.leaderChanged(leader, leaderTerm);
            }
        }
    }

    /** Removes a listener; idempotent. */
    public void removeListener(GroupStateListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ByteString apply(long index, long term, ByteString command) {
        GroupState current = state;
        if (index <= current.appliedIndex()) {
            return ByteString.EMPTY;
        }
        CommandOutcomes.Outcome outcome = outcomes.decide(current, command);
        CommandReply reply;
        try {
            store.apply(batch(index, current, outcome));
            reply = outcome.reply();
            publish(outcome.next().withAppliedIndex(index));
        } catch (LimitExceededException | NonIncreasingTimestampException e) {
            CommandOutcomes.Outcome refused = CommandOutcomes.Outcome.rejected(current,
                    Rejection.invalid("the store refused the write: " + e.getMessage()));
            store.apply(batch(index, current, refused));
            reply = refused.reply();
            publish(current.withAppliedIndex(index));
        }
        return reply.toByteString();
    }

    /**
     * Checks that a write of {@code mutations} fits the store's batch limits as this state
     * machine would apply it (with the group state beside it).
     *
     * @throws LimitExceededException when it does not
     */
    void checkWriteLimits(List<Mutation> mutations) {
        WriteBatch.builder(group, 0).commitTs(Timestamp.MIN).mutations(mutations)
                .putMetadata(GroupStateCodec.STATE_NAME, GroupStateCodec.encode(state))
                .build();
    }

    /**
     * Checks that a {@code Prepare} of {@code prepared} fits the store's batch limits as this
     * state machine would apply it, and that its commit will too (the writes in one batch).
     *
     * @throws LimitExceededException when it does not
     */
    void checkPrepareLimits(PreparedTxn prepared) {
        WriteBatch.builder(group, 0).putPrepared(prepared)
                .putMetadata(GroupStateCodec.STATE_NAME, GroupStateCodec.encode(state))
                .build();
        checkWriteLimits(prepared.writes());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Syncs the store first, since the replication layer may truncate its log once the
     * snapshot is taken.
     */
    @Override
    public long writeSnapshot(OutputStream out) throws IOException {
        GroupState current = state;
        store.sync();
        // Incoming ranges' copied data belongs to the snapshot too: an AcceptRange may follow.
        List<RangeState> held = current.heldRanges();
        try (SpanSnapshot snapshot = store.exportSpans(group, GroupRanges.spans(held))) {
            DataOutputStream header = new DataOutputStream(out);
            header.writeInt(SNAPSHOT_MAGIC);
            header.writeInt(SNAPSHOT_VERSION);
            InitGroup.newBuilder().setGroupId(group.value()).setMeta(current.meta())
                    .addAllRanges(held).build().writeDelimitedTo(header);
            header.flush();
            snapshot.writeTo(out);
            return snapshot.appliedIndex();
        }
    }

    @Override
    public void installSnapshot(InputStream in) throws IOException {
        DataInputStream header = new DataInputStream(in);
        int magic = header.readInt();
        int version = header.readInt();
        if (magic != SNAPSHOT_MAGIC || version != SNAPSHOT_VERSION) {
            throw new SnapshotFormatException("not a group snapshot of version " + SNAPSHOT_VERSION
                    + " (magic " + Integer.toHexString(magic) + ", version " + version + ")");
        }
        InitGroup described = InitGroup.parseDelimitedFrom(header);
        if (described == null) {
            throw new SnapshotFormatException("group snapshot ends before its header");
        }
        if (described.getGroupId() != group.value()) {
            throw new IllegalArgumentException("snapshot of group-" + described.getGroupId() + " offered to " + group);
        }
        List<KeySpan> spans = GroupRanges.spans(described.getRangesList());
        store.importSpans(group, spans, header);
        publish(load(group, store));
    }

    /**
     * Records the leader and tells the listeners, one report at a time.
     */
    @Override
    public void leaderChanged(Optional<NodeId> newLeader, long term) {
        Objects.requireNonNull(newLeader, "leader");
        synchronized (leaderLock) {
            leader = newLeader;
            leaderTerm = term;
            for (GroupStateListener listener : listeners) {
                listener.leaderChanged(newLeader, term);
            }
        }
    }

    private WriteBatch batch(long index, GroupState current, CommandOutcomes.Outcome outcome) {
        // A range move may have copied this very write into another group's replica on this
        // store before this replica applied it; the copy is the same version, so keep it.
        WriteBatch.Builder batch = WriteBatch.builder(group, index).keepCopiedVersions();
        outcome.commitTs().ifPresent(batch::commitTs);
        batch.mutations(outcome.mutations());
        outcome.ingested().forEach(batch::ingest);
        GroupState next = outcome.next();
        if (!next.withTxns(current.txns()).equals(current)) {
            batch.putMetadata(GroupStateCodec.STATE_NAME, GroupStateCodec.encode(next));
        }
        if (next.txns() != current.txns()) {
            writeTxnChanges(batch, current.txns(), next.txns());
        }
        if (!next.metaState().equals(current.metaState())) {
            next.metaState().ifPresentOrElse(
                    meta -> batch.putMetadata(GroupStateCodec.META_NAME, meta.toByteString()),
                    () -> batch.deleteMetadata(GroupStateCodec.META_NAME));
        }
        return batch.build();
    }

    /**
     * Stores what changed between {@code before} and {@code after}: prepared records and decision
     * records, looking only at the transactions the change touched.
     */
    private static void writeTxnChanges(WriteBatch.Builder batch, GroupTxns before, GroupTxns after) {
        for (TxnId id : after.changedSince(before)) {
            PreparedTxn prepared = after.prepared().get(id);
            if (prepared == null) {
                if (before.prepared().containsKey(id)) {
                    batch.removePrepared(id);
                }
            } else if (!prepared.equals(before.prepared().get(id))) {
                batch.putPrepared(prepared);
            }
            TxnRecord record = after.records().get(id);
            if (record == null) {
                if (before.records().containsKey(id)) {
                    batch.deleteMetadata(GroupTxns.recordName(id));
                }
            } else if (!record.equals(before.records().get(id))) {
                batch.putMetadata(GroupTxns.recordName(id), record.toByteString());
            }
        }
    }

    private void publish(GroupState next) {
        state = next;
        for (GroupStateListener listener : listeners) {
            listener.applied(next);
        }
    }

    private static GroupState load(GroupId group, MvccStore store) {
        long index = store.appliedIndex(group);
        Optional<MetaState> meta = store.metadata(group, GroupStateCodec.META_NAME).map(GroupStateCodec::decodeMeta);
        GroupTxns txns = loadTxns(group, store);
        return store.metadata(group, GroupStateCodec.STATE_NAME)
                .map(bytes -> GroupStateCodec.decode(bytes, index, meta, txns))
                .orElseGet(() -> GroupState.initial().withAppliedIndex(index).withMetaState(meta).withTxns(txns));
    }

    /** The prepared transactions and decision records the store holds for the group. */
    private static GroupTxns loadTxns(GroupId group, MvccStore store) {
        List<TxnRecord> records = new ArrayList<>();
        store.metadataWithPrefix(group, GroupTxns.RECORD_PREFIX).forEach((name, bytes) -> {
            try {
                TxnRecord record = TxnRecord.parseFrom(bytes);
                if (!GroupTxns.recordName(TxnId.fromBytes(record.getTxnId())).equals(name)) {
                    throw new IllegalStateException("decision record " + name + " holds another transaction");
                }
                records.add(record);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw new IllegalStateException("corrupt decision record " + name + " of " + group + ": "
                        + e.getMessage(), e);
            }
        });
        try {
            return GroupTxns.of(store.preparedTxns(group), records);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("inconsistent transaction records of " + group + ": " + e.getMessage(), e);
        }
    }
}
