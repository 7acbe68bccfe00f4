package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Limit;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows that every {@link Limit} is enforced at its boundary (the maximum passes, one more
 * fails), that the error names the limit, its maximum and the actual size, and that a batch
 * breaking a limit leaves the store untouched.
 */
class LimitsTest extends StoreTestSupport {

    private static final int KEY_BYTES_MAX = (int) Limit.KEY_BYTES.max();
    private static final int VALUE_BYTES_MAX = (int) Limit.VALUE_BYTES.max();

    @Test
    void keyOfMaximumLengthIsStoredAndOneByteMoreIsRefused() {
        ByteString longest = filled(KEY_BYTES_MAX, 'k');
        store.apply(WriteBatch.builder(GROUP, 1).commitTs(ts(10)).put(longest, bytes("v")).build());
        assertEquals(Optional.of(bytes("v")), store.get(longest, ts(10)).map(v -> v.value()));

        ByteString tooLong = filled(KEY_BYTES_MAX + 1, 'k');
        expectLimit(Limit.KEY_BYTES, KEY_BYTES_MAX + 1, () -> new Mutation.Put(tooLong, bytes("v")));
        expectLimit(Limit.KEY_BYTES, KEY_BYTES_MAX + 1, () -> new Mutation.Delete(tooLong));
        expectLimit(Limit.KEY_BYTES, KEY_BYTES_MAX + 1, () -> store.get(tooLong, ts(10)));
        expectLimit(Limit.KEY_BYTES, KEY_BYTES_MAX + 1, () -> new KeySpan(tooLong, ByteString.EMPTY));
    }

    @Test
    void valueOfMaximumLengthIsStoredAndOneByteMoreIsRefused() {
        ByteString largest = filled(VALUE_BYTES_MAX, 'v');
        store.apply(WriteBatch.builder(GROUP, 1).commitTs(ts(10)).put(bytes("k"), largest).build());
        assertEquals(Optional.of(largest), store.get(bytes("k"), ts(10)).map(v -> v.value()));

        expectLimit(Limit.VALUE_BYTES, VALUE_BYTES_MAX + 1,
                () -> new Mutation.Put(bytes("k"), filled(VALUE_BYTES_MAX + 1, 'v')));
        expectLimit(Limit.VALUE_BYTES, VALUE_BYTES_MAX + 1,
                () -> WriteBatch.builder(GROUP, 2).putMetadata("m", filled(VALUE_BYTES_MAX + 1, 'v')));
    }

    @Test
    void batchMutationCountCountsPreparedWritesToo() {
        int max = (int) Limit.BATCH_MUTATIONS.max();
        Mutation put = new Mutation.Put(bytes("k"), bytes("v"));
        assertDoesNotThrow(() -> WriteBatch.builder(GROUP, 1).commitTs(ts(1))
                .mutations(Collections.nCopies(max, put)).build());

        expectLimit(Limit.BATCH_MUTATIONS, max + 1, () -> WriteBatch.builder(GROUP, 1).commitTs(ts(1))
                .mutations(Collections.nCopies(max + 1, put)).build());
        PreparedTxn prepared = new PreparedTxn(new TxnId(0, 1), ts(1), GROUP, List.of(put, put));
        expectLimit(Limit.BATCH_MUTATIONS, max + 1, () -> WriteBatch.builder(GROUP, 1).commitTs(ts(1))
                .mutations(Collections.nCopies(max - 1, put)).putPrepared(prepared).build());
    }

    @Test
    void batchBytesCountKeysValuesMetadataAndPreparedWrites() {
        long max = Limit.BATCH_BYTES.max();
        ByteString value = filled(VALUE_BYTES_MAX, 'v');
        WriteBatch.Builder builder = WriteBatch.builder(GROUP, 1).commitTs(ts(10));
        int puts = (int) (max / (VALUE_BYTES_MAX + 8));
        for (int i = 0; i < puts; i++) {
            builder.put(bytes(String.format("key%05d", i)), value);
        }
        long used = puts * (long) (VALUE_BYTES_MAX + 8);
        long room = max - used;
        PreparedTxn prepared = new PreparedTxn(new TxnId(0, 1), ts(5), GROUP,
                List.of(new Mutation.Put(bytes("p"), filled((int) room - 1, 'p'))));
        builder.putPrepared(prepared);
        assertEquals(max, builder.build().sizeBytes(), "the batch fills the limit exactly");

        builder.putMetadata("m", ByteString.EMPTY);
        expectLimit(Limit.BATCH_BYTES, max + 1, builder::build);
        assertEquals(-1, store.appliedIndex(GROUP), "nothing was applied");
    }

    @Test
    void metadataNameAndScanLimitAreBounded() {
        int nameMax = (int) Limit.METADATA_NAME_BYTES.max();
        assertDoesNotThrow(() -> store.metadata(GROUP, "n".repeat(nameMax)));
        expectLimit(Limit.METADATA_NAME_BYTES, nameMax + 1, () -> store.metadata(GROUP, "n".repeat(nameMax + 1)));
        // A two-byte UTF-8 character counts as two bytes.
        expectLimit(Limit.METADATA_NAME_BYTES, nameMax + 2,
                () -> WriteBatch.builder(GROUP, 1).deleteMetadata("n".repeat(nameMax) + "é"));

        int rowsMax = (int) Limit.SCAN_ROWS.max();
        assertDoesNotThrow(() -> store.scan(KeySpan.ALL, ts(1), rowsMax, ScanDirection.FORWARD));
        expectLimit(Limit.SCAN_ROWS, rowsMax + 1, () -> store.scan(KeySpan.ALL, ts(1), rowsMax + 1, ScanDirection.FORWARD));
        assertThrows(IllegalArgumentException.class, () -> store.scan(KeySpan.ALL, ts(1), 0, ScanDirection.FORWARD));
    }

    @Test
    void scanPageEndsAtThePageByteBoundWithAResumeKey() {
        ByteString value = filled(VALUE_BYTES_MAX, 'v');
        int rows = (int) (Limit.SCAN_PAGE_BYTES.max() / VALUE_BYTES_MAX) + 2;
        for (int i = 0; i < rows; i++) {
            store.apply(WriteBatch.builder(GROUP, i).commitTs(ts(10)).put(bytes(String.format("k%03d", i)), value).build());
        }

        var page = store.scan(KeySpan.ALL, ts(10), rows, ScanDirection.FORWARD);

        assertTrue(page.rows().size() < rows, "page stopped early at " + page.rows().size() + " rows");
        assertEquals(Optional.of(bytes(String.format("k%03d", page.rows().size()))), page.resumeKey());
    }

    private static void expectLimit(Limit limit, long actual, Executable call) {
        LimitExceededException error = assertThrows(LimitExceededException.class, call);
        assertEquals(limit, error.limit());
        assertEquals(actual, error.actual());
        assertTrue(error.getMessage().startsWith(limit.name() + " limit exceeded"), error.getMessage());
        assertTrue(error.getMessage().contains(" " + actual + " ") && error.getMessage().contains(String.valueOf(limit.max())),
                error.getMessage());
    }

    private static ByteString filled(int size, char c) {
        return bytes(String.valueOf(c).repeat(size));
    }
}
