package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * One replica's deterministic state machine for one group, driven by the replication layer
 * ({@link ReplicationHost}). Every replica applies the same commands in the same order and
 * reaches the same state.
 *
 * <p><b>Threading.</b> The replication layer calls {@link #apply}, {@link #writeSnapshot} and
 * {@link #installSnapshot} from one thread per group, never concurrently with each other.
 * {@link #leaderChanged} may come from another thread.
 *
 * <p><b>Failures.</b> A command the state machine refuses is a reply, not an exception. An
 * exception or error from these methods is a bug or an environment failure (disk full,
 * corrupt store): the replication layer must stop the node loudly rather than skip the entry.
 */
public interface GroupStateMachine {

    /** The group this replica belongs to. */
    GroupId group();

    /**
     * The log index of the last command this replica applied (durably, with its effects), or
     * {@link io.meridian.storage.MvccStore#NO_APPLIED_INDEX}. The replication layer uses it at
     * start-up; entries at or below it are replayed harmlessly (apply skips them).
     */
    long appliedIndex();

    /**
     * Applies the committed command at {@code index}. Idempotent per index: an index at or
     * below {@link #appliedIndex()} changes nothing and returns an empty reply.
     *
     * @return the reply the proposer receives (a serialized {@code CommandReply})
     */
    ByteString apply(long index, long term, ByteString command);

    /**
     * Writes a snapshot of the replica's whole state (its ranges' data, metadata, applied
     * index) to {@code out}.
     *
     * @return the applied index the snapshot reflects
     */
    long writeSnapshot(OutputStream out) throws IOException;

    /**
     * Replaces the replica's whole state with a snapshot written by {@link #writeSnapshot}
     * (on this or another replica of the group).
     */
    void installSnapshot(InputStream in) throws IOException;

    /**
     * The replication layer saw a new leader (or none) for the group.
     *
     * @param leader the leader, possibly this node; empty while there is none
     * @param term the Raft term of that leadership
     */
    void leaderChanged(Optional<NodeId> leader, long term);
}
