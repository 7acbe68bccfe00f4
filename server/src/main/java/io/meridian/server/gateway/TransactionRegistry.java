package io.meridian.server.gateway;

import com.google.protobuf.ByteString;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.txn.ReadWriteTxn;
import io.meridian.truetime.Timestamp;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The transactions begun at this gateway, by id (16 bytes: a read-write transaction's own id, random for read-only ones). A transaction unused for the
 * idle timeout is forgotten; so is one that committed or rolled back. Forgotten ids answer
 * {@code NOT_FOUND}.
 *
 * <p>Thread-safe. The clock is a monotonic nanosecond source, passed in for tests.
 */
public final class TransactionRegistry {

    /** The default idle timeout: 10 s. */
    public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    private static final int ID_BYTES = 16;

    /** A transaction this gateway knows. */
    public sealed interface Txn permits ReadOnly, ReadWrite {
    }

    /**
     * A read-only transaction: every read sees the snapshot at {@code readTs}.
     *
     * @param readTs the snapshot's timestamp, fixed at begin
     */
    public record ReadOnly(Timestamp readTs) implements Txn {
        public ReadOnly {
            Objects.requireNonNull(readTs, "readTs");
        }
    }

    /**
     * A read-write transaction: its locks and writes live at the group leaders; this gateway
     * drives it.
     *
     * @param txn the transaction
     */
    public record ReadWrite(ReadWriteTxn txn) implements Txn {
        public ReadWrite {
            Objects.requireNonNull(txn, "txn");
        }
    }

    private record Entry(Txn txn, long lastUsedNanos) {
    }

    private final Map<ByteString, Entry> txns = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;

    /**
     * @param idleTimeout how long an unused transaction is kept
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public TransactionRegistry(Duration idleTimeout, LongSupplier nanoClock) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Registers {@code txn} and returns its id: a read-write transaction's own, a new random
     * one for a read-only transaction.
     */
    public ByteString begin(Txn txn) {
        ByteString key;
        if (txn instanceof ReadWrite readWrite) {
            key = readWrite.txn().id().toBytes();
        } else {
            byte[] id = new byte[ID_BYTES];
            random.nextBytes(id);
            key = ByteString.copyFrom(id);
        }
        txns.put(key, new Entry(txn, nanoClock.getAsLong()));
        return key;
    }

    /**
     * The transaction with {@code id}, marked as used now.
     *
     * @throws RequestFailedException ({@code TRANSACTION_NOT_FOUND}) for an unknown, finished or
     *     idle-expired id
     */
    public Txn use(ByteString id) {
        long now = nanoClock.getAsLong();
        Entry entry = txns.computeIfPresent(id, (k, e) -> now - e.lastUsedNanos() > idleTimeoutNanos
                ? null : new Entry(e.txn(), now));
        if (entry == null) {
            throw notFound(id);
        }
        return entry.txn();
    }

    /**
     * Forgets the transaction with {@code id} and returns it.
     *
     * @throws RequestFailedException ({@code TRANSACTION_NOT_FOUND}) for an unknown, finished or
     *     idle-expired id
     */
    public Txn finish(ByteString id) {
        Entry entry = txns.remove(id);
        if (entry == null || nanoClock.getAsLong() - entry.lastUsedNanos() > idleTimeoutNanos) {
            throw notFound(id);
        }
        return entry.txn();
    }

    /**
     * Forgets every transaction idle past the timeout, rolling back the read-write ones (their
     * locks go); returns how many.
     */
    public int expireIdle() {
        long now = nanoClock.getAsLong();
        int expired = 0;
        for (Map.Entry<ByteString, Entry> entry : txns.entrySet()) {
            if (now - entry.getValue().lastUsedNanos() > idleTimeoutNanos && txns.remove(entry.getKey(), entry.getValue())) {
                expired++;
                if (entry.getValue().txn() instanceof ReadWrite readWrite) {
                    readWrite.txn().rollback();
                }
            }
        }
        return expired;
    }

    /** How many transactions are open. */
    public int size() {
        return txns.size();
    }

    private static RequestFailedException notFound(ByteString id) {
        return new RequestFailedException(ErrorReason.TRANSACTION_NOT_FOUND, "transaction "
                + HexFormat.of().formatHex(id.toByteArray()) + " is unknown, finished, or was idle for too long");
    }
}
