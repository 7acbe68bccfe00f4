package io.meridian.storage.lmdb;

import io.meridian.storage.StoreResourceExhaustedException;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The LMDB environment, its tables, and the discipline for using them: read transactions run
 * concurrently; write transactions run one at a time under {@link #writer}; every use holds a
 * {@link StoreGate} pass so that close never pulls the environment from under a transaction;
 * LMDB's resource errors become {@link StoreResourceExhaustedException}.
 *
 * <p>Tables (layout in {@link KeyCodec}): {@code versions}, {@code values}, {@code metadata},
 * {@code applied}, {@code prepared}, {@code imports} and {@code store} (store-wide entries).
 */
final class LmdbTables {

    private static final int DATABASES_MAX = 8;

    final Env<ByteBuffer> env;
    final Dbi<ByteBuffer> versions;
    final Dbi<ByteBuffer> values;
    final Dbi<ByteBuffer> metadata;
    final Dbi<ByteBuffer> applied;
    final Dbi<ByteBuffer> prepared;
    final Dbi<ByteBuffer> imports;
    final Dbi<ByteBuffer> store;


    final Path dir;
    private final LmdbOptions options;
    private final ReentrantLock writer = new ReentrantLock();
    private final StoreGate gate = new StoreGate();
    private final SyncMarker syncMarker;
    private final ReadSession.Pool readSessions;

    /** The key and record buffers of write transactions: used only while holding {@link #writer}. */
    final ScratchBuffers writerScratch = new ScratchBuffers();

    private LmdbTables(Path dir, Env<ByteBuffer> env, LmdbOptions options) {
        this.dir = dir;
        this.env = env;
        this.options = options;
        this.versions = env.openDbi("versions", DbiFlags.MDB_CREATE, DbiFlags.MDB_DUPSORT);
        this.values = env.openDbi("values", DbiFlags.MDB_CREATE);
        this.metadata = env.openDbi("metadata", DbiFlags.MDB_CREATE);
        this.applied = env.openDbi("applied", DbiFlags.MDB_CREATE);
        this.prepared = env.openDbi("prepared", DbiFlags.MDB_CREATE);
        this.imports = env.openDbi("imports", DbiFlags.MDB_CREATE);
        this.store = env.openDbi("store", DbiFlags.MDB_CREATE);
        this.syncMarker = new SyncMarker(this, options);
        this.readSessions = new ReadSession.Pool(env, options.maxReaders());
    }

    /**
     * Opens (creating if needed) the environment in {@code dir}, checks the format version and
     * the sync marker.
     */
    static LmdbTables open(Path dir, LmdbOptions options) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store directory " + dir, e);
        }
        List<EnvFlags> flags = new ArrayList<>();
        // Read transactions may move between threads (span snapshots, virtual threads), so
        // reader slots belong to transactions, not threads.
        flags.add(EnvFlags.MDB_NOTLS);
        // Writes change the shared mapping in place: no page copies or write() calls at commit
        // (a one-put batch ~15 us -> ~4.5 us). Committed pages are then the kernel's and outlive
        // the process. docs/storage.md has the costs (writable map, sparse data file).
        flags.add(EnvFlags.MDB_WRITEMAP);
        if (!options.syncOnCommit()) {
            flags.add(EnvFlags.MDB_NOSYNC);
        }
        Env<ByteBuffer> env = Env.create()
                .setMapSize(options.mapSizeBytes())
                .setMaxDbs(DATABASES_MAX)
                .setMaxReaders(options.maxReaders())
                .open(dir.toFile(), flags.toArray(EnvFlags[]::new));
        try {
            // Slots of readers in a killed process would otherwise stay taken.
            env.readerCheck();
            LmdbTables tables = new LmdbTables(dir, env, options);
            tables.writer.lock();
            try {
                tables.commitWrite(txn -> {
                    new StoreRecords(tables).checkFormat(txn);
                    return null;
                });
                tables.syncMarker.onOpen();
            } finally {
                tables.writer.unlock();
            }
            return tables;
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    LmdbOptions options() {
        return options;
    }

    /** Runs {@code work} in a read transaction; the returned value must not hold LMDB buffers. */
    <R> R read(Function<Txn<ByteBuffer>, R> work) {
        return readSession(session -> work.apply(session.txn()));
    }

    /**
     * Runs {@code work} in a pooled read session (a fresh snapshot); the returned value must not
     * hold LMDB buffers or the session.
     */
    <R> R readSession(Function<ReadSession, R> work) {
        gate.enter();
        try {
            ReadSession session = readSessions.borrow();
            try {
                return work.apply(session);
            } finally {
                readSessions.giveBack(session);
            }
        } catch (Env.ReadersFullException e) {
            throw readersFull(e);
        } finally {
            gate.exit();
        }
    }

    /**
     * Runs {@code work} in a write transaction and commits it; if {@code work} throws, the
     * transaction aborts and nothing it wrote remains.
     */
    <R> R write(Function<Txn<ByteBuffer>, R> work) {
        gate.enter();
        writer.lock();
        try {
            syncMarker.beforeWrite();
            return commitWrite(work);
        } finally {
            writer.unlock();
            gate.exit();
        }
    }

    /** Commits one write transaction; the caller holds {@link #writer}. */
    <R> R commitWrite(Function<Txn<ByteBuffer>, R> work) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            R result = work.apply(txn);
            txn.commit();
            return result;
        } catch (Env.MapFullException e) {
            throw new StoreResourceExhaustedException("LMDB map is full at " + options.mapSizeBytes()
                    + " bytes; raise LmdbOptions.mapSizeBytes", e);
        } catch (Txn.TxFullException e) {
            throw new StoreResourceExhaustedException("one LMDB write transaction dirtied too many pages;"
                    + " split the work into smaller batches", e);
        }
    }

    /** Opens a read transaction that outlives this call (span snapshots); holds a gate pass. */
    Txn<ByteBuffer> openLongRead() {
        gate.enter();
        try {
            return env.txnRead();
        } catch (Env.ReadersFullException e) {
            gate.exit();
            throw readersFull(e);
        } catch (RuntimeException e) {
            gate.exit();
            throw e;
        }
    }

    /** Ends a transaction from {@link #openLongRead()} and returns its pass. */
    void closeLongRead(Txn<ByteBuffer> txn) {
        try {
            txn.close();
        } finally {
            gate.exit();
        }
    }

    /** Forces every commit to disk and records that the store is synced. */
    void sync() {
        gate.enter();
        writer.lock();
        try {
            syncMarker.sync();
        } finally {
            writer.unlock();
            gate.exit();
        }
    }

    /** Waits for users to finish, syncs, and closes the environment. Idempotent. */
    void close() {
        if (!gate.closeAndAwait()) {
            return;
        }
        writer.lock();
        try {
            syncMarker.sync();
        } finally {
            writer.unlock();
            readSessions.closeAll();
            env.close();
        }
    }

    private StoreResourceExhaustedException readersFull(RuntimeException cause) {
        return new StoreResourceExhaustedException("all " + options.maxReaders()
                + " LMDB reader slots are taken; raise LmdbOptions.maxReaders or close span snapshots", cause);
    }
}
