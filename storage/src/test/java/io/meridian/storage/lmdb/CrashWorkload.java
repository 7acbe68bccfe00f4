package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;

/**
 * The batches the crash test's child process writes: batch {@code i} is a pure function of
 * {@code i}, so the test can rebuild exactly what batches 1..n must have produced. Each batch
 * puts a row and a counter, sometimes deletes rows or a range of rows, writes metadata and
 * adds or removes a prepared record; values grow up to 8 KiB.
 */
final class CrashWorkload {

    private CrashWorkload() {
    }

    static WriteBatch batch(long i) {
        WriteBatch.Builder builder = WriteBatch.builder(GROUP, i).commitTs(Timestamp.ofMicros(i * 10))
                .put(row(i), value(i))
                .put(bytes("counter"), bytes(Long.toString(i)))
                .putMetadata("last-batch", bytes(Long.toString(i)));
        if (i % 7 == 0) {
            builder.delete(row(i - 3));
        }
        if (i % 11 == 0) {
            builder.deleteRange(row(i - 10), row(i - 5));
        }
        if (i % 5 == 0) {
            builder.putPrepared(new PreparedTxn(new TxnId(0, i), Timestamp.ofMicros(i * 10), new GroupId(2),
                    List.of(new Mutation.Put(row(i + 1), value(i)))));
        } else if (i % 5 == 2) {
            builder.removePrepared(new TxnId(0, i - 2));
        }
        return builder.build();
    }

    private static ByteString row(long i) {
        return bytes(String.format("row/%08d", Math.max(0, i)));
    }

    private static ByteString value(long i) {
        byte[] value = new byte[64 << (int) (i % 8)];
        Arrays.fill(value, (byte) i);
        return ByteString.copyFrom(value);
    }

    /**
     * The child process: opens the store in {@code args[0]} (boot id file {@code args[1]}),
     * applies the batches after its applied index one by one, and prints each applied index
     * as soon as {@code apply} returns, until killed.
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        LmdbOptions options = TestData.options(dir).withBootIdFile(Path.of(args[1]));
        LmdbMvccStore store = LmdbMvccStore.open(dir, options);
        long next = Math.max(1, store.appliedIndex(GROUP) + 1);
        long stopAt = next + 1_000_000;
        for (long i = next; i < stopAt; i++) {
            store.apply(batch(i));
            System.out.println(i);
            System.out.flush();
        }
        store.close();
    }
}
