package io.meridian.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Shows the life of a transaction id at a gateway: 16 random bytes, kept while used, forgotten
 * after commit, rollback or the idle timeout, and {@code NOT_FOUND} once forgotten.
 */
class TransactionRegistryTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TransactionRegistry txns = new TransactionRegistry(Duration.ofSeconds(10), nanos::get);

    private void assertNotFound(ByteString id) {
        RequestFailedException e = assertThrows(RequestFailedException.class, () -> txns.use(id));
        assertEquals(ErrorReason.TRANSACTION_NOT_FOUND, e.reason());
    }

    @Test
    void idsAreSixteenRandomBytes() {
        ByteString a = txns.begin(new TransactionRegistry.ReadWrite());
        ByteString b = txns.begin(new TransactionRegistry.ReadWrite());
        assertEquals(16, a.size());
        assertNotEquals(a, b);
        assertNotFound(ByteString.copyFromUtf8("made-up"));
    }

    @Test
    void useKeepsATransactionAliveAndFinishForgetsIt() {
        TransactionRegistry.ReadOnly readOnly = new TransactionRegistry.ReadOnly(new Timestamp(42));
        ByteString id = txns.begin(readOnly);
        for (int i = 0; i < 5; i++) {
            nanos.addAndGet(Duration.ofSeconds(9).toNanos());
            assertSame(readOnly, txns.use(id));
        }
        assertSame(readOnly, txns.finish(id));
        assertNotFound(id);
        assertThrows(RequestFailedException.class, () -> txns.finish(id));
    }

    @Test
    void anIdleTransactionIsForgotten() {
        ByteString idle = txns.begin(new TransactionRegistry.ReadWrite());
        ByteString busy = txns.begin(new TransactionRegistry.ReadWrite());
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        txns.use(busy);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertNotFound(idle);
        txns.use(busy);
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertEquals(1, txns.expireIdle());
        assertEquals(0, txns.size());
        assertThrows(RequestFailedException.class, () -> txns.finish(busy));
    }
}
