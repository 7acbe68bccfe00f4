package io.meridian.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.Done;
import io.meridian.api.internal.v1.ReadDone;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.groups.ReadSpec;
import io.meridian.server.status.ErrorReason;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.server.status.RequestFailedException;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.sim.SimScheduler;
import io.meridian.txn.KeyRouter;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.TxnOptions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Shows the life of a transaction id at a gateway: 16 bytes, kept while used, forgotten after
 * commit, rollback or the idle timeout (a read-write one is then rolled back: its locks go),
 * and {@code NOT_FOUND} once forgotten.
 */
class TransactionRegistryTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TransactionRegistry txns = new TransactionRegistry(Duration.ofSeconds(10), nanos::get);
    private final List<TxnRequest> sent = new CopyOnWriteArrayList<>();
    private final SimScheduler scheduler = new SimScheduler(1_000_000);
    private final TxnDriver driver = new TxnDriver(() -> TTInterval.around(scheduler.nowMicros(), 10), scheduler,
            new KeyRouter() {
                @Override
                public GroupId groupOf(ByteString key) {
                    return new GroupId(1);
                }

                @Override
                public List<Piece> pieces(KeySpan span) {
                    return List.of(new Piece(new GroupId(1), span));
                }
            },
            request -> {
                sent.add(request);
                return CompletableFuture.completedFuture(request.hasRead()
                        ? TxnReply.newBuilder().setRead(ReadDone.getDefaultInstance()).build()
                        : TxnReply.newBuilder().setDone(Done.getDefaultInstance()).build());
            }, TxnOptions.defaults(), new Random(7));

    private TransactionRegistry.ReadWrite readWrite() {
        return new TransactionRegistry.ReadWrite(driver.begin(OptionalLong.empty()));
    }

    private void assertNotFound(ByteString id) {
        RequestFailedException e = assertThrows(RequestFailedException.class, () -> txns.use(id));
        assertEquals(ErrorReason.TRANSACTION_NOT_FOUND, e.reason());
    }

    @Test
    void idsAreSixteenRandomBytes() {
        TransactionRegistry.ReadWrite readWrite = readWrite();
        ByteString a = txns.begin(readWrite);
        ByteString b = txns.begin(readWrite());
        assertEquals(readWrite.txn().id().toBytes(), a, "a read-write transaction is known by its own id");
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
    void anIdleTransactionIsForgottenAndRolledBack() {
        TransactionRegistry.ReadWrite locking = readWrite();
        locking.txn().read(new ReadSpec.Keys(List.of(ByteString.copyFromUtf8("k")))).join();
        ByteString idle = txns.begin(readWrite());
        ByteString busy = txns.begin(locking);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        txns.use(busy);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertNotFound(idle);
        txns.use(busy);
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertEquals(1, txns.expireIdle());
        assertEquals(0, txns.size());
        assertEquals(List.of(TxnRequest.OpCase.READ, TxnRequest.OpCase.RELEASE),
                sent.stream().map(TxnRequest::getOpCase).toList(), "the expired transaction's locks are released");
        assertThrows(RequestFailedException.class, () -> txns.finish(busy));
    }
}
