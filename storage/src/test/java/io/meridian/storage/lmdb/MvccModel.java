package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Mutation;
import io.meridian.storage.MvccStore;
import io.meridian.storage.NonIncreasingTimestampException;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.TxnId;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The specification of {@link MvccStore} as the plainest code that could hold it: every key's
 * versions in a {@code TreeMap}, nothing persisted, nothing clever. The property and crash
 * tests compare the LMDB store against it.
 */
final class MvccModel {

    /** Key → (timestamp → value, or empty for a tombstone). */
    private final NavigableMap<ByteString, NavigableMap<Long, Optional<ByteString>>> versions = new TreeMap<>(Keys.ORDER);
    private final Map<GroupId, Long> applied = new HashMap<>();
    private final Map<GroupId, Map<String, ByteString>> metadata = new HashMap<>();
    private final Map<GroupId, TreeMap<TxnId, PreparedTxn>> prepared = new HashMap<>();
    private Timestamp horizon = Timestamp.MIN;

    ApplyResult apply(WriteBatch batch) {
        if (batch.appliedIndex() <= appliedIndex(batch.group())) {
            return ApplyResult.ALREADY_APPLIED;
        }
        // Stage every write first, so a refused batch changes nothing.
        Map<ByteString, Optional<ByteString>> staged = new TreeMap<>(Keys.ORDER);
        batch.commitTs().ifPresent(ts -> batch.mutations().forEach(mutation -> stage(staged, mutation, ts)));
        batch.commitTs().ifPresent(ts -> staged.forEach((key, value) ->
                versions.computeIfAbsent(key, k -> new TreeMap<>()).put(ts.micros(), value)));
        applyWrites(batch.metadataWrites(), metadata.computeIfAbsent(batch.group(), g -> new HashMap<>()));
        applyWrites(batch.preparedWrites(), prepared.computeIfAbsent(batch.group(), g -> new TreeMap<>()));
        applied.put(batch.group(), batch.appliedIndex());
        return ApplyResult.APPLIED;
    }

    /** Stores each present value and removes each empty one. */
    private static <K, V> void applyWrites(Map<K, Optional<V>> writes, Map<K, V> target) {
        writes.forEach((key, value) -> {
            if (value.isPresent()) {
                target.put(key, value.get());
            } else {
                target.remove(key);
            }
        });
    }

    private void stage(Map<ByteString, Optional<ByteString>> staged, Mutation mutation, Timestamp ts) {
        switch (mutation) {
            case Mutation.Put put -> {
                checkOrder(staged, put.key(), ts);
                staged.put(put.key(), Optional.of(put.value()));
            }
            case Mutation.Delete delete -> {
                checkOrder(staged, delete.key(), ts);
                if (isLive(staged, delete.key())) {
                    staged.put(delete.key(), Optional.empty());
                }
            }
            case Mutation.DeleteRange range -> {
                List<ByteString> candidates = new ArrayList<>();
                versions.keySet().stream().filter(range.span()::contains).forEach(candidates::add);
                staged.keySet().stream().filter(range.span()::contains).forEach(candidates::add);
                for (ByteString key : candidates) {
                    if (isLive(staged, key)) {
                        checkOrder(staged, key, ts);
                        staged.put(key, Optional.empty());
                    }
                }
            }
        }
    }

    private boolean isLive(Map<ByteString, Optional<ByteString>> staged, ByteString key) {
        if (staged.containsKey(key)) {
            return staged.get(key).isPresent();
        }
        NavigableMap<Long, Optional<ByteString>> history = versions.get(key);
        return history != null && !history.isEmpty() && history.lastEntry().getValue().isPresent();
    }

    private void checkOrder(Map<ByteString, Optional<ByteString>> staged, ByteString key, Timestamp ts) {
        NavigableMap<Long, Optional<ByteString>> history = versions.get(key);
        if (staged.containsKey(key) || history == null || history.isEmpty()) {
            return;
        }
        long newest = history.lastKey();
        if (newest >= ts.micros()) {
            throw new NonIncreasingTimestampException(key, ts, new Timestamp(newest));
        }
    }

    Optional<Version> get(ByteString key, Timestamp readTs) {
        checkReadable(readTs);
        NavigableMap<Long, Optional<ByteString>> history = versions.get(key);
        if (history == null) {
            return Optional.empty();
        }
        Map.Entry<Long, Optional<ByteString>> visible = history.floorEntry(readTs.micros());
        if (visible == null || visible.getValue().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Version(key, visible.getValue().get(), new Timestamp(visible.getKey())));
    }

    ScanResult scan(KeySpan span, Timestamp readTs, int limit, ScanDirection direction) {
        checkReadable(readTs);
        NavigableMap<ByteString, NavigableMap<Long, Optional<ByteString>>> inSpan = span.hasEnd()
                ? versions.subMap(span.start(), true, span.end(), false)
                : versions.tailMap(span.start(), true);
        if (direction == ScanDirection.REVERSE) {
            inSpan = inSpan.descendingMap();
        }
        List<Version> rows = new ArrayList<>();
        for (ByteString key : inSpan.keySet()) {
            Optional<Version> row = get(key, readTs);
            if (row.isEmpty()) {
                continue;
            }
            if (rows.size() == limit) {
                ByteString resume = direction == ScanDirection.FORWARD ? key : rows.get(rows.size() - 1).key();
                return new ScanResult(rows, Optional.of(resume));
            }
            rows.add(row.get());
        }
        return new ScanResult(rows, Optional.empty());
    }

    /** Same rule as the store: keep the newest version at or below the horizon unless a tombstone. */
    void collectGarbage(Timestamp watermark) {
        horizon = Timestamp.max(horizon, watermark);
        versions.values().forEach(history -> {
            Long newestVisible = history.floorKey(horizon.micros());
            if (newestVisible != null) {
                history.headMap(newestVisible, false).clear();
                if (history.get(newestVisible).isEmpty()) {
                    history.remove(newestVisible);
                }
            }
        });
        versions.values().removeIf(NavigableMap::isEmpty);
    }

    Timestamp gcHorizon() {
        return horizon;
    }

    long appliedIndex(GroupId group) {
        return applied.getOrDefault(group, MvccStore.NO_APPLIED_INDEX);
    }

    Optional<ByteString> metadata(GroupId group, String name) {
        return Optional.ofNullable(metadata.getOrDefault(group, Map.of()).get(name));
    }

    List<PreparedTxn> preparedTxns(GroupId group) {
        return List.copyOf(prepared.getOrDefault(group, new TreeMap<>()).values());
    }

    private void checkReadable(Timestamp readTs) {
        if (readTs.isBefore(horizon)) {
            throw new ReadBelowHorizonException(readTs, horizon);
        }
    }
}
