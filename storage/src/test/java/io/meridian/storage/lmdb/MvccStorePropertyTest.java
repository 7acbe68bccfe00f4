package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Mutation;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static io.meridian.storage.lmdb.TestData.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shows that {@link LmdbMvccStore} answers every read exactly like {@link MvccModel}, the
 * plain in-memory specification, across thousands of random operations: batches of puts,
 * deletes and delete-ranges over keys that are prefixes of each other ("a", "a\0", "ab"),
 * refused batches, replays, point reads and paged scans in both directions at random past
 * timestamps, GC at random watermarks, close and reopen, and export/import round trips.
 *
 * <p>The seed is printed; {@code -Dstorage.seed=N} replays a run, {@code -Dstorage.steps=N}
 * changes its length.
 */
class MvccStorePropertyTest {

    private static final List<ByteString> KEYS = List.of(
            bytes("\0"), bytes("a"), bytes("a\0"), bytes("a\0\0"), bytes("a\1"), bytes("ab"), bytes("abc"),
            bytes("b"), bytes("b\0"), bytes("ba"), bytes("c"), bytes("\u00ff"), bytes("\u00ff\u00ff"));
    private static final List<GroupId> GROUPS = List.of(new GroupId(1), new GroupId(2));
    private static final List<String> METADATA_NAMES = List.of("range-start", "lease", "epoch");

    @TempDir
    Path dir;

    private Random random;
    private long seed;
    private LmdbMvccStore store;
    private final MvccModel model = new MvccModel();
    private long latestTs = 10;
    private int step;
    private final Map<GroupId, Long> nextIndex = new HashMap<>();
    /** How often each kind of outcome was compared, printed so a run shows what it covered. */
    private final Map<String, Integer> tally = new TreeMap<>();

    @Test
    void lmdbStoreMatchesTheModel() throws IOException {
        seed = Long.getLong("storage.seed", new Random().nextLong());
        int steps = Integer.getInteger("storage.steps", 10_000);
        System.out.println("MvccStorePropertyTest seed " + seed + " (replay with -Dstorage.seed=" + seed + ")");
        random = new Random(seed);
        store = TestData.open(dir.resolve("main"));
        try {
            for (step = 0; step < steps; step++) {
                runOneStep();
            }
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ", step " + step + " failed (replay with -Dstorage.seed="
                    + seed + ")", e);
        } finally {
            store.close();
        }
        System.out.println("compared outcomes: " + tally);
    }

    private void runOneStep() throws IOException {
        int choice = random.nextInt(100);
        if (choice < 35) {
            GroupId group = randomGroup();
            applyBoth(randomBatch(group, nextIndexOf(group), Timestamp.ofMicros(latestTs += 1 + random.nextInt(3))));
        } else if (choice < 38) {
            applyStaleBatch();
        } else if (choice < 60) {
            ByteString key = randomKey();
            Timestamp readTs = randomReadTs();
            same(() -> model.get(key, readTs), () -> store.get(key, readTs), "get " + Keys.describe(key) + " at " + readTs);
        } else if (choice < 85) {
            scanBoth();
        } else if (choice < 89) {
            Timestamp watermark = Timestamp.ofMicros(model.gcHorizon().micros() + random.nextInt((int) (latestTs - model.gcHorizon().micros() + 2)));
            model.collectGarbage(watermark);
            store.collectGarbage(watermark);
            same(model::gcHorizon, store::gcHorizon, "gc horizon after collecting at " + watermark);
        } else if (choice < 92) {
            store.close();
            store = TestData.open(dir.resolve("main"));
        } else if (choice < 98) {
            compareGroupRecords();
        } else if (choice < 99) {
            checkExportImportRoundTrip();
        } else {
            store.sync();
        }
    }

    private void applyBoth(WriteBatch batch) {
        same(() -> model.apply(batch), () -> store.apply(batch), "apply " + batch);
    }

    /** A replayed index (skipped) or a timestamp at or below the newest (usually refused). */
    private void applyStaleBatch() {
        GroupId group = randomGroup();
        long applied = model.appliedIndex(group);
        if (random.nextBoolean() && applied >= 0) {
            applyBoth(randomBatch(group, random.nextLong(applied + 1), Timestamp.ofMicros(latestTs + 1)));
        } else {
            long staleTs = Math.max(0, latestTs - random.nextInt(5));
            applyBoth(randomBatch(group, nextIndexOf(group), Timestamp.ofMicros(staleTs)));
        }
    }

    /** The next Raft index of {@code group}; sometimes skips one, as entries without writes do. */
    private long nextIndexOf(GroupId group) {
        return nextIndex.merge(group, 1L + random.nextInt(2), Long::sum);
    }

    private WriteBatch randomBatch(GroupId group, long index, Timestamp ts) {
        WriteBatch.Builder builder = WriteBatch.builder(group, index).commitTs(ts);
        int mutations = random.nextInt(5);
        for (int i = 0; i < mutations; i++) {
            builder.mutation(randomMutation());
        }
        if (random.nextInt(4) == 0) {
            String name = METADATA_NAMES.get(random.nextInt(METADATA_NAMES.size()));
            if (random.nextBoolean()) {
                builder.putMetadata(name, randomValue());
            } else {
                builder.deleteMetadata(name);
            }
        }
        if (random.nextInt(5) == 0) {
            TxnId id = new TxnId(random.nextInt(3) - 1, random.nextInt(4));
            if (random.nextBoolean()) {
                List<Mutation> writes = List.of(randomMutation(), randomMutation());
                builder.putPrepared(new PreparedTxn(id, ts, randomGroup(), writes));
            } else {
                builder.removePrepared(id);
            }
        }
        return builder.build();
    }

    private Mutation randomMutation() {
        int kind = random.nextInt(10);
        if (kind < 6) {
            return new Mutation.Put(randomKey(), randomValue());
        }
        if (kind < 8) {
            return new Mutation.Delete(randomKey());
        }
        KeySpan span = randomSpan();
        return new Mutation.DeleteRange(span.start(), span.end());
    }

    private void scanBoth() {
        KeySpan span = randomSpan();
        Timestamp readTs = randomReadTs();
        int limit = 1 + random.nextInt(5);
        ScanDirection direction = random.nextBoolean() ? ScanDirection.FORWARD : ScanDirection.REVERSE;
        String what = "scan " + span + " at " + readTs + " limit " + limit + " " + direction;
        Optional<KeySpan> remaining = Optional.of(span);
        for (int page = 0; remaining.isPresent() && page < 20; page++) {
            KeySpan current = remaining.get();
            ScanResult expected = Outcome.of(() -> model.scan(current, readTs, limit, direction)).valueOrNull();
            same(() -> model.scan(current, readTs, limit, direction),
                    () -> store.scan(current, readTs, limit, direction), what + ", page " + page);
            remaining = expected == null ? Optional.empty() : expected.remainder(current, direction);
        }
    }

    private void compareGroupRecords() {
        for (GroupId group : GROUPS) {
            same(() -> model.appliedIndex(group), () -> store.appliedIndex(group), "applied index of " + group);
            same(() -> model.preparedTxns(group), () -> store.preparedTxns(group), "prepared records of " + group);
            for (String name : METADATA_NAMES) {
                same(() -> model.metadata(group, name), () -> store.metadata(group, name), "metadata " + name);
            }
        }
    }

    /** Exports everything of one group, imports it into a scratch store, and reads it back. */
    private void checkExportImportRoundTrip() throws IOException {
        GroupId group = randomGroup();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (SpanSnapshot snapshot = store.exportSpan(group, KeySpan.ALL)) {
            snapshot.writeTo(stream);
        }
        try (LmdbMvccStore copy = TestData.open(dir.resolve("copy"))) {
            copy.importSpan(group, KeySpan.ALL, new ByteArrayInputStream(stream.toByteArray()));
            same(() -> model.appliedIndex(group), () -> copy.appliedIndex(group), "imported applied index");
            same(() -> model.preparedTxns(group), () -> copy.preparedTxns(group), "imported prepared records");
            same(model::gcHorizon, copy::gcHorizon, "imported gc horizon");
            for (int i = 0; i < 5; i++) {
                Timestamp readTs = randomReadTs();
                same(() -> model.scan(KeySpan.ALL, readTs, KEYS.size(), ScanDirection.FORWARD),
                        () -> copy.scan(KeySpan.ALL, readTs, KEYS.size(), ScanDirection.FORWARD),
                        "imported scan at " + readTs);
            }
        }
    }

    private void same(Supplier<?> expected, Supplier<?> actual, String what) {
        Outcome<?> want = Outcome.of(expected);
        Outcome<?> got = Outcome.of(actual);
        tally.merge(want.kind(), 1, Integer::sum);
        assertEquals(want, got, () -> "seed " + seed + ", step " + step + ": " + what
                + " (replay with -Dstorage.seed=" + seed + ")");
    }

    /** A value or the class of the exception thrown instead: what the two sides must agree on. */
    private record Outcome<T>(T value, Class<? extends RuntimeException> failure) {

        static <T> Outcome<T> of(Supplier<T> call) {
            try {
                return new Outcome<>(call.get(), null);
            } catch (RuntimeException e) {
                if (e instanceof ReadBelowHorizonException || e instanceof NonIncreasingTimestampException) {
                    return new Outcome<>(null, e.getClass());
                }
                throw e;
            }
        }

        /** A coarse name for the outcome, for the tally. */
        String kind() {
            if (failure != null) {
                return failure.getSimpleName();
            }
            return switch (value) {
                case Optional<?> optional -> optional.isPresent() ? "found" : "not found";
                case ScanResult page -> page.rows().isEmpty() ? "empty page"
                        : page.resumeKey().isPresent() ? "partial page" : "last page";
                case ApplyResult result -> result.name();
                default -> "other";
            };
        }

        T valueOrNull() {
            return value;
        }

        @Override
        public String toString() {
            String text = failure != null ? "throws " + failure.getSimpleName() : String.valueOf(value);
            return text.replaceAll("ByteString@[0-9a-f]+ ", "");
        }
    }

    private GroupId randomGroup() {
        return GROUPS.get(random.nextInt(GROUPS.size()));
    }

    private ByteString randomKey() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    /**
     * Mostly short values; one in four is sized around {@link KeyCodec#INLINE_VALUE_BYTES_MAX}
     * (just below, at, just above, or well above), so versions of one key mix inline and
     * external storage.
     */
    private ByteString randomValue() {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return ByteString.EMPTY;
        }
        if (choice < 4) {
            int threshold = KeyCodec.INLINE_VALUE_BYTES_MAX;
            int[] sizes = {threshold - 1, threshold, threshold + 1, 3 * threshold};
            byte[] value = new byte[sizes[random.nextInt(sizes.length)]];
            random.nextBytes(value);
            return ByteString.copyFrom(value);
        }
        return bytes("v" + random.nextInt(1000));
    }

    /** A past, present or future timestamp, sometimes below the GC horizon. */
    private Timestamp randomReadTs() {
        long low = Math.max(0, model.gcHorizon().micros() - 3);
        return Timestamp.ofMicros(low + random.nextInt((int) (latestTs - low + 4)));
    }

    private KeySpan randomSpan() {
        List<ByteString> bounds = new ArrayList<>(KEYS);
        bounds.add(ByteString.EMPTY);
        while (true) {
            ByteString start = random.nextInt(6) == 0 ? ByteString.EMPTY : bounds.get(random.nextInt(bounds.size()));
            ByteString end = random.nextInt(4) == 0 ? ByteString.EMPTY : bounds.get(random.nextInt(bounds.size()));
            if (end.isEmpty() || Keys.compare(start, end) < 0) {
                return new KeySpan(start, end);
            }
        }
    }
}
