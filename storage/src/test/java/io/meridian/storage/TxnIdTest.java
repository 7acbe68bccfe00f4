package io.meridian.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shows that a {@link TxnId}'s wire form and hex name round-trip, and that both sort like the
 * id itself (unsigned, high half first), so records named by hex list in id order.
 */
class TxnIdTest {

    @Test
    void wireBytesAndHexRoundTripAndSortLikeTheId() {
        List<TxnId> ids = List.of(new TxnId(0, 0), new TxnId(0, 1), new TxnId(0, -1), new TxnId(1, 0),
                new TxnId(-1, 0), new TxnId(-1, -1));
        for (int i = 0; i < ids.size(); i++) {
            TxnId id = ids.get(i);
            assertEquals(16, id.toBytes().size());
            assertEquals(id, TxnId.fromBytes(id.toBytes()));
            assertEquals(32, id.hex().length());
            if (i > 0) {
                TxnId before = ids.get(i - 1);
                assertTrue(before.compareTo(id) < 0);
                assertTrue(before.hex().compareTo(id.hex()) < 0, before.hex() + " < " + id.hex());
                assertTrue(Keys.compare(before.toBytes(), id.toBytes()) < 0);
            }
        }
        assertEquals("00000000000000010000000000000002", new TxnId(1, 2).hex());
        assertEquals("txn-00000000000000010000000000000002", new TxnId(1, 2).toString());
    }

    @Test
    void bytesOfAnotherLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TxnId.fromBytes(ByteString.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> TxnId.fromBytes(ByteString.copyFrom(new byte[17])));
    }
}
