package io.meridian.bench;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.WriteBatch;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.storage.lmdb.LmdbOptions;
import io.meridian.truetime.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark store on LMDB in a temporary folder: {@code keys} keys of the form
 * {@code user/00000042} with {@code valueBytes}-byte values, loaded in batches of 10,000 at
 * increasing timestamps, one version each. Sync-on-commit is off, as in production (the Raft
 * log is the durable record).
 */
final class MvccStoreFixture implements AutoCloseable {

    static final GroupId GROUP = new GroupId(1);
    private static final int LOAD_BATCH = 10_000;

    final LmdbMvccStore store;
    final ByteString[] keys;
    private final Path dir;
    private long appliedIndex;
    private long lastTsMicros;

    MvccStoreFixture(int keyCount, int valueBytes) {
        try {
            dir = Files.createTempDirectory("meridian-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = LmdbMvccStore.open(dir, LmdbOptions.defaults());
        keys = new ByteString[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = key(i);
        }
        ByteString value = ByteString.copyFrom(new byte[valueBytes]);
        for (int from = 0; from < keyCount; from += LOAD_BATCH) {
            WriteBatch.Builder batch = nextBatch();
            for (int i = from; i < Math.min(keyCount, from + LOAD_BATCH); i++) {
                batch.put(keys[i], value);
            }
            store.apply(batch.build());
        }
    }

    static ByteString key(int i) {
        return ByteString.copyFrom(String.format("user/%08d", i), StandardCharsets.US_ASCII);
    }

    /** A builder for the next batch: next applied index, next commit timestamp. */
    WriteBatch.Builder nextBatch() {
        appliedIndex++;
        lastTsMicros++;
        return WriteBatch.builder(GROUP, appliedIndex).commitTs(Timestamp.ofMicros(lastTsMicros));
    }

    /** The timestamp of the newest batch applied so far. */
    Timestamp latestTs() {
        return Timestamp.ofMicros(lastTsMicros);
    }

    @Override
    public void close() {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
