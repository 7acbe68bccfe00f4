package io.meridian.storage.lmdb;

import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A read transaction kept for reuse, with the two {@code versions} cursors and the lookup-key
 * buffers a snapshot read needs. Beginning a transaction, opening cursors and allocating their
 * native key/value holders cost more than a point lookup itself, so readers borrow a session
 * from a {@link Pool}: between uses its transaction is reset (no snapshot held, reader slot kept)
 * and renewed on the next borrow, which takes a fresh snapshot.
 *
 * <p>Not thread-safe: one reader uses a session at a time. Everything handed out is valid until
 * the session goes back to the pool.
 */
final class ReadSession {

    private final Txn<ByteBuffer> txn;
    private final ScratchBuffers scratch = new ScratchBuffers();
    private Cursor<ByteBuffer> keys;
    private Cursor<ByteBuffer> probe;
    /** Cursors opened in an earlier use must be renewed onto the renewed transaction. */
    private boolean cursorsStale;

    private ReadSession(Txn<ByteBuffer> txn) {
        this.txn = txn;
    }

    /** The session's read transaction, holding a snapshot while the session is borrowed. */
    Txn<ByteBuffer> txn() {
        return txn;
    }

    /** Lookup-key buffers for this session's reads. */
    ScratchBuffers scratch() {
        return scratch;
    }

    /** The cursor that walks the keys of {@code versions}. */
    Cursor<ByteBuffer> keysCursor(Dbi<ByteBuffer> versions) {
        renewCursorsIfStale();
        if (keys == null) {
            keys = versions.openCursor(txn);
        }
        return keys;
    }

    /** A second {@code versions} cursor, for visibility probes while {@link #keysCursor} walks. */
    Cursor<ByteBuffer> probeCursor(Dbi<ByteBuffer> versions) {
        renewCursorsIfStale();
        if (probe == null) {
            probe = versions.openCursor(txn);
        }
        return probe;
    }

    private void renewCursorsIfStale() {
        if (cursorsStale) {
            if (keys != null) {
                keys.renew(txn);
            }
            if (probe != null) {
                probe.renew(txn);
            }
            cursorsStale = false;
        }
    }

    private void reset() {
        txn.reset();
        cursorsStale = true;
    }

    private void renew() {
        txn.renew();
    }

    private void close() {
        // lmdbjava aborts only a READY transaction on close: renew a reset one so its handle
        // and reader slot are freed.
        renew();
        if (keys != null) {
            keys.close();
        }
        if (probe != null) {
            probe.close();
        }
        txn.close();
    }

    /**
     * Idle sessions of one environment. Borrowing from an empty pool begins a new transaction;
     * giving back to a full pool closes the session. Thread-safe. Each idle session keeps one
     * LMDB reader slot, so the pool holds at most a quarter of the environment's slots.
     */
    static final class Pool {

        private final Env<ByteBuffer> env;
        private final ArrayBlockingQueue<ReadSession> idle;

        Pool(Env<ByteBuffer> env, int maxReaders) {
            this.env = env;
            this.idle = new ArrayBlockingQueue<>(Math.max(1, Math.min(64, maxReaders / 4)));
        }

        /** A session holding a fresh snapshot. */
        ReadSession borrow() {
            ReadSession session = idle.poll();
            if (session == null) {
                return new ReadSession(env.txnRead());
            }
            try {
                session.renew();
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            return session;
        }

        /** Ends the session's snapshot and keeps the session for the next reader. */
        void giveBack(ReadSession session) {
            try {
                session.reset();
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            if (!idle.offer(session)) {
                session.close();
            }
        }

        /** Closes every idle session; call once no session is borrowed, before the environment closes. */
        void closeAll() {
            for (ReadSession session = idle.poll(); session != null; session = idle.poll()) {
                session.close();
            }
        }
    }
}
