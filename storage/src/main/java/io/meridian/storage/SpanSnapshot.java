package io.meridian.storage;

import io.meridian.truetime.Timestamp;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One consistent, point-in-time view of a group's spans, taken by {@link MvccStore#exportSpans}:
 * the group's applied index, the GC horizon, every stored version of every key in the spans,
 * and the group's metadata and prepared records, all as of the same instant. Later writes do
 * not change it.
 *
 * <p>An open snapshot pins storage (LMDB cannot reuse pages it still shows), and
 * {@link MvccStore#close()} waits until every snapshot is closed, so close it promptly. Use
 * from one thread at a time.
 */
public interface SpanSnapshot extends AutoCloseable {

    /** The group the snapshot belongs to. */
    GroupId group();

    /** The spans it covers, sorted and disjoint. */
    List<KeySpan> spans();

    /** The group's applied index at the snapshot: the Raft log index it reflects. */
    long appliedIndex();

    /** The GC horizon at the snapshot; an import raises the destination's horizon to it. */
    Timestamp gcHorizon();

    /**
     * Writes the snapshot to {@code out} in the framed format described in
     * {@code docs/storage.md}: magic, format version, checksummed frames of bounded size. Holds
     * at most one frame in memory whatever the size of the spans. May be called more than
     * once; every call writes the same bytes. Does not close {@code out}.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Releases the snapshot. Idempotent. */
    @Override
    void close();
}
