package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImport;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.storage.MvccStore;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.Version;
import io.meridian.storage.VersionPage;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * {@link MvccStore} on one LMDB environment per node. Reads run in LMDB read transactions
 * (lock-free, concurrent, each a consistent snapshot); writes run one at a time in LMDB write
 * transactions. Layout, durability contract and snapshot format: {@code docs/storage.md}.
 *
 * <p>Thread-safe. The JVM needs LMDB's flags ({@code --add-opens java.base/java.nio=ALL-UNNAMED}
 * and the rest of {@code meridian.jvm.flags} in the parent pom).
 */
public final class LmdbMvccStore implements MvccStore {

    private final LmdbTables tables;
    private final StoreRecords records;

    private LmdbMvccStore(LmdbTables tables) {
        this.tables = tables;
        this.records = new StoreRecords(tables);
    }

    /**
     * Opens the store in {@code dir}, creating the directory and an empty store if needed.
     * Only one process, and one open store per process, may use a directory at a time.
     *
     * @throws io.meridian.storage.StoreNeedsRebuildException when the machine restarted while
     *     the store had unsynced commits (see {@link LmdbOptions#bootIdFile()})
     * @throws IllegalStateException when the directory holds another format version
     */
    public static LmdbMvccStore open(Path dir, LmdbOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        return new LmdbMvccStore(LmdbTables.open(dir, options));
    }

    @Override
    public Optional<Version> get(ByteString key, Timestamp readTs) {
        Keys.requireValid(key);
        Objects.requireNonNull(readTs, "readTs");
        return tables.readSession(session -> {
            records.checkReadable(session.txn(), readTs);
            return new SnapshotReader(tables, session).get(key, readTs);
        });
    }

    @Override
    public ScanResult scan(KeySpan span, Timestamp readTs, int limit, ScanDirection direction) {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(readTs, "readTs");
        Objects.requireNonNull(direction, "direction");
        if (limit < 1) {
            throw new IllegalArgumentException("scan limit must be positive: " + limit);
        }
        Limit.SCAN_ROWS.check(limit);
        return tables.readSession(session -> {
            records.checkReadable(session.txn(), readTs);
            return new SnapshotReader(tables, session).scan(span, readTs, limit, direction);
        });
    }

    @Override
    public VersionPage versions(KeySpan span, Timestamp after, Timestamp upTo, Optional<ByteString> resumeAfterKey,
            int limit) {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(upTo, "upTo");
        Objects.requireNonNull(resumeAfterKey, "resumeAfterKey");
        if (limit < 1) {
            throw new IllegalArgumentException("version page limit must be positive: " + limit);
        }
        if (upTo.isBefore(after)) {
            throw new IllegalArgumentException("versions up to " + upTo + " asked after " + after);
        }
        Limit.SCAN_ROWS.check(limit);
        return tables.read(txn -> new VersionPageReader(tables, txn).page(span, after, upTo, resumeAfterKey, limit));
    }

    @Override
    public ApplyResult apply(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        return tables.write(txn -> new BatchWriter(tables, txn).apply(batch));
    }

    @Override
    public long appliedIndex(GroupId group) {
        Objects.requireNonNull(group, "group");
        return tables.read(txn -> records.appliedIndex(txn, group));
    }

    @Override
    public Optional<ByteString> metadata(GroupId group, String name) {
        Objects.requireNonNull(group, "group");
        Keys.requireValidMetadataName(name);
        return tables.read(txn -> records.metadata(txn, group, name));
    }

    @Override
    public SortedMap<String, ByteString> metadataWithPrefix(GroupId group, String namePrefix) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(namePrefix, "namePrefix");
        Limit.METADATA_NAME_BYTES.check(namePrefix.getBytes(StandardCharsets.UTF_8).length);
        return tables.read(txn -> records.metadataWithPrefix(txn, group, namePrefix));
    }

    @Override
    public List<PreparedTxn> preparedTxns(GroupId group) {
        Objects.requireNonNull(group, "group");
        return tables.read(txn -> records.preparedTxns(txn, group));
    }

    @Override
    public long collectGarbage(Timestamp watermark) {
        Objects.requireNonNull(watermark, "watermark");
        return new GarbageCollector(tables).collect(watermark);
    }

    @Override
    public Timestamp gcHorizon() {
        return tables.read(records::gcHorizon);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code spans} may be empty (a group holding no key spans, such as the meta group):
     * the snapshot then carries only the group's applied index, metadata and prepared records.
     */
    @Override
    public SpanSnapshot exportSpans(GroupId group, List<KeySpan> spans) {
        Objects.requireNonNull(group, "group");
        return LmdbSpanSnapshot.open(tables, group, spans);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code spans} may be empty, for a snapshot exported with no spans: only the group's
     * records and applied index are replaced.
     */
    @Override
    public void importSpans(GroupId group, List<KeySpan> spans, InputStream in) throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(in, "in");
        new SpanImporter(tables).importSpans(group, spans, in);
    }

    @Override
    public List<IncompleteImport> incompleteImports() {
        return tables.read(records::incompleteImports);
    }

    @Override
    public void sync() {
        tables.sync();
    }

    @Override
    public void close() {
        tables.close();
    }

    /** The directory the store lives in. */
    public Path directory() {
        return tables.dir;
    }
}
