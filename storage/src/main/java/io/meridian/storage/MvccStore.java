package io.meridian.storage;

import com.google.protobuf.ByteString;
import io.meridian.truetime.Timestamp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A node's multi-version key-value store: every Raft group hosted on the node keeps its state
 * here. User data is one keyspace of versioned keys (groups' ranges never overlap); each group
 * also has an applied index, metadata and prepared-transaction records.
 *
 * <p><b>Threading.</b> Implementations are thread-safe: any number of readers run
 * concurrently, each on a consistent snapshot of the store, while writes ({@link #apply},
 * {@link #collectGarbage}, {@link #importSpans}) run one at a time and never block readers.
 *
 * <p><b>Visibility.</b> A read at {@code t} sees, for each key, the newest version with
 * timestamp {@code <= t}; a version written at {@code t} is invisible to reads below {@code t}.
 * A tombstone hides the key. Reads below {@link #gcHorizon()} fail with
 * {@link ReadBelowHorizonException}; at or above it they are exact.
 *
 * <p><b>Atomicity and replay.</b> A batch's mutations, metadata and prepared-record writes and
 * its applied index are written in one atomic transaction: after a crash the store holds each
 * batch entirely or not at all, and its applied index says which. {@link #apply} skips a batch
 * at or below the stored applied index, so replaying the Raft log from any point is exact.
 * Every validation happens before anything is written; a refused batch leaves no trace.
 *
 * <p><b>Durability.</b> See {@link #sync()} and {@code docs/storage.md}: the Raft log is the
 * durable record, and the store may hold commits only in the OS page cache until synced.
 */
public interface MvccStore extends AutoCloseable {

    /** The applied index of a group that has applied nothing. */
    long NO_APPLIED_INDEX = -1;

    /**
     * The newest version of {@code key} at or below {@code readTs}, or empty when there is none
     * or it is a tombstone.
     *
     * @throws ReadBelowHorizonException when {@code readTs} is below the GC horizon
     * @throws IllegalArgumentException when the key is empty
     * @throws LimitExceededException when the key is too long
     */
    Optional<Version> get(ByteString key, Timestamp readTs);

    /**
     * The visible versions of the keys in {@code span} at {@code readTs}, in key order
     * ({@link Keys#ORDER}) or its reverse, at most {@code limit} of them. The page also ends
     * early once it holds {@link Limit#SCAN_PAGE_BYTES}. Page on with
     * {@link ScanResult#remainder}.
     *
     * @throws ReadBelowHorizonException when {@code readTs} is below the GC horizon
     * @throws IllegalArgumentException when {@code limit} is not positive
     * @throws LimitExceededException when {@code limit} is above {@link Limit#SCAN_ROWS}
     */
    ScanResult scan(KeySpan span, Timestamp readTs, int limit, ScanDirection direction);

    /**
     * Every stored version (puts and tombstones) of the keys in {@code span} with
     * {@code after < ts <= upTo}, raw: not filtered by visibility, so a range move can copy a
     * span's history exactly ({@link WriteBatch.Builder#ingest}). Pages by key: a page holds
     * whole keys, in key order, each key's versions oldest first; it ends after the key with
     * which it reaches {@code limit} versions or {@link Limit#SCAN_PAGE_BYTES}, so one page may
     * exceed {@code limit} by the versions of its last key. Keys after {@code resumeAfterKey}
     * only, when given. Does not check the GC horizon: what GC removed is simply absent. Reads
     * one consistent snapshot per page; concurrent writes may land between pages.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive or {@code upTo} is
     *     below {@code after}
     * @throws LimitExceededException when {@code limit} is above {@link Limit#SCAN_ROWS}
     */
    VersionPage versions(KeySpan span, Timestamp after, Timestamp upTo, Optional<ByteString> resumeAfterKey,
            int limit);

    /**
     * Applies a batch atomically, or skips it when the group's applied index is already at or
     * past the batch's (idempotent: replaying a batch is harmless). Applied indices of a group
     * must grow; gaps are allowed.
     *
     * @return {@link ApplyResult#APPLIED} or {@link ApplyResult#ALREADY_APPLIED}
     * @throws NonIncreasingTimestampException when a write's timestamp is not above the key's
     *     newest stored version (keys written earlier in the same batch excepted; ingested
     *     versions are exempt, see {@link WriteBatch.Builder#ingest})
     * @throws IncompleteImportException when the group has an interrupted import
     * @throws StoreResourceExhaustedException when the store is full
     */
    ApplyResult apply(WriteBatch batch);

    /** The Raft log index of the last batch applied for {@code group}, or {@link #NO_APPLIED_INDEX}. */
    long appliedIndex(GroupId group);

    /** The group's metadata value stored under {@code name}, if any. */
    Optional<ByteString> metadata(GroupId group, String name);

    /**
     * The group's metadata whose names start with {@code namePrefix} (all of the group's when it
     * is empty), by name, ordered as the names' UTF-8 bytes (unsigned). One consistent snapshot;
     * an unmodifiable copy. This is how a group lists families of records it keeps under one
     * prefix, such as its transaction decision records.
     *
     * @throws LimitExceededException when the prefix is longer than a metadata name may be
     */
    SortedMap<String, ByteString> metadataWithPrefix(GroupId group, String namePrefix);

    /** The group's prepared-transaction records, ordered by {@link TxnId}. */
    List<PreparedTxn> preparedTxns(GroupId group);

    /**
     * Raises the GC horizon to {@code watermark} (it never moves backwards) and then removes the
     * versions no read at or above the horizon can see: for every key, every version older than
     * its newest version at or below the horizon, and that version too when it is a tombstone.
     * The raised horizon is stored before anything is removed, so reads below it fail rather
     * than see missing versions. Removal runs in bounded write transactions, between which
     * other writes proceed. Idempotent; calling it again resumes an interrupted collection.
     *
     * @return the number of versions removed
     */
    long collectGarbage(Timestamp watermark);

    /** The GC horizon: the oldest timestamp reads may ask for. {@link Timestamp#MIN} at first. */
    Timestamp gcHorizon();

    /**
     * Takes a consistent snapshot of {@code spans} (sorted, disjoint) and of the group's applied
     * index, metadata and prepared records, for a Raft snapshot or a replica copy. The caller
     * must close it.
     *
     * @throws IncompleteImportException when the group has an interrupted import
     */
    SpanSnapshot exportSpans(GroupId group, List<KeySpan> spans);

    /** {@link #exportSpans} of one span. */
    default SpanSnapshot exportSpan(GroupId group, KeySpan span) {
        return exportSpans(group, List.of(span));
    }

    /**
     * Replaces {@code spans} and the group's metadata, prepared records and applied index with
     * the snapshot read from {@code in}, which must have been exported for the same group and
     * spans. The GC horizon rises to the snapshot's if that is higher.
     *
     * <p>Large imports use several write transactions. The import is recorded durably before
     * the first change; if it does not finish (crash, bad stream), it stays listed in
     * {@link #incompleteImports()} across restarts and the group refuses {@link #apply} until
     * an import covering the same spans succeeds. Reads of the spans during an import see a
     * mix of old and new data; the caller must not serve them until it returns.
     *
     * @throws SnapshotFormatException when the stream is malformed, corrupt or truncated
     * @throws IllegalArgumentException when the stream is for another group or other spans, or
     *     when an earlier incomplete import of the group covers spans this one does not
     */
    void importSpans(GroupId group, List<KeySpan> spans, InputStream in) throws IOException;

    /** {@link #importSpans} of one span. */
    default void importSpan(GroupId group, KeySpan span, InputStream in) throws IOException {
        importSpans(group, List.of(span), in);
    }

    /** Imports that started and did not finish, by group. */
    List<IncompleteImport> incompleteImports();

    /**
     * Forces every committed write to stable storage. Must complete before a Raft snapshot
     * lets the group's log be truncated, because until then the log may be the only durable
     * copy of recent batches.
     */
    void sync();

    /**
     * Syncs and closes the store. Waits for running operations and for open
     * {@link SpanSnapshot}s to be closed. Idempotent; any call after it fails with
     * {@link IllegalStateException}.
     */
    @Override
    void close();
}
