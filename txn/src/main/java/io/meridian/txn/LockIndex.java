package io.meridian.txn;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The entries of a {@link LockTable} (held locks, or waiting requests) by key span, so that the
 * entries overlapping a span are found without looking at the others.
 *
 * <p>Point spans ({@code [key, key + 0x00)}, the common case) live in a map by key. Other spans
 * live in a <em>fragment map</em>: the keyspace is cut at every span's bounds, and each
 * fragment {@code [boundary, next boundary)} records the spans covering it, so the spans
 * covering a key are those of the fragment at its floor. A span is found in time logarithmic in
 * the number of fragments plus what overlaps it; adding or removing one costs the fragments it
 * covers. A bound no span uses any more is dropped, so the index holds nothing once it is empty.
 *
 * <p>Entries are compared by identity. Not thread-safe: the table guards it.
 *
 * @param <E> the entry type
 */
final class LockIndex<E> {

    private final Function<E, KeySpan> spanOf;
    private final NavigableMap<ByteString, List<E>> points = new TreeMap<>(Keys.ORDER);
    /** Fragment start → the span entries covering {@code [start, next fragment start)}. */
    private final NavigableMap<ByteString, Set<E>> fragments = new TreeMap<>(Keys.ORDER);
    private int size;

    LockIndex(Function<E, KeySpan> spanOf) {
        this.spanOf = Objects.requireNonNull(spanOf, "spanOf");
    }

    /** The key of a point span {@code [key, key + 0x00)}, or null for any other span. */
    static ByteString pointKey(KeySpan span) {
        ByteString start = span.start();
        ByteString end = span.end();
        boolean point = end.size() == start.size() + 1 && end.byteAt(start.size()) == 0 && end.startsWith(start);
        return point ? start : null;
    }

    /** True when the spans share at least one key. */
    static boolean overlaps(KeySpan a, KeySpan b) {
        return a.isBelowEnd(b.start()) && b.isBelowEnd(a.start());
    }

    /** Adds {@code entry} (which must not be in the index) under its span. */
    void add(E entry) {
        KeySpan span = spanOf.apply(entry);
        ByteString key = pointKey(span);
        if (key != null) {
            points.computeIfAbsent(key, k -> new ArrayList<>(1)).add(entry);
        } else {
            split(span.start());
            if (span.hasEnd()) {
                split(span.end());
            }
            for (Set<E> covering : fragmentsOf(span).values()) {
                covering.add(entry);
            }
        }
        size++;
    }

    /** Removes {@code entry}, which must be in the index. */
    void remove(E entry) {
        KeySpan span = spanOf.apply(entry);
        ByteString key = pointKey(span);
        boolean removed;
        if (key != null) {
            List<E> atKey = points.get(key);
            removed = atKey != null && removeByIdentity(atKey, entry);
            if (removed && atKey.isEmpty()) {
                points.remove(key);
            }
        } else {
            removed = false;
            for (Set<E> covering : fragmentsOf(span).values()) {
                removed |= covering.remove(entry);
            }
            // Only this span's own bounds can have become redundant: every other bound is still
            // the bound of a span in the index. Drop the start first, so the end compares with
            // what precedes it afterwards.
            mergeIfRedundant(span.start());
            if (span.hasEnd()) {
                mergeIfRedundant(span.end());
            }
        }
        if (!removed) {
            throw new IllegalStateException("lock index does not hold " + entry + " on " + span);
        }
        size--;
    }

    /**
     * The entries whose spans overlap {@code span}, each once: point entries in key order, then
     * span entries in fragment order.
     */
    List<E> overlapping(KeySpan span) {
        Set<E> found = new LinkedHashSet<>();
        anyOverlapping(span, entry -> {
            found.add(entry);
            return false;
        });
        return new ArrayList<>(found);
    }

    /**
     * True when {@code test} holds for an entry whose span overlaps {@code span}; stops at the
     * first such entry. {@code test} may see an entry more than once.
     */
    boolean anyOverlapping(KeySpan span, Predicate<? super E> test) {
        ByteString key = pointKey(span);
        if (key != null) {
            List<E> atKey = points.get(key);
            if (atKey != null && anyOf(atKey, test)) {
                return true;
            }
        } else {
            Map<ByteString, List<E>> inside = span.hasEnd()
                    ? points.subMap(span.start(), true, span.end(), false)
                    : points.tailMap(span.start(), true);
            for (List<E> atKey : inside.values()) {
                if (anyOf(atKey, test)) {
                    return true;
                }
            }
        }
        if (fragments.isEmpty()) {
            return false;
        }
        Map.Entry<ByteString, Set<E>> atStart = fragments.floorEntry(span.start());
        if (atStart != null && anyOf(atStart.getValue(), test)) {
            return true;
        }
        Map<ByteString, Set<E>> after = span.hasEnd()
                ? fragments.subMap(span.start(), false, span.end(), false)
                : fragments.tailMap(span.start(), false);
        for (Set<E> covering : after.values()) {
            if (anyOf(covering, test)) {
                return true;
            }
        }
        return false;
    }

    /** The number of entries. */
    int size() {
        return size;
    }

    /** The number of fragment bounds kept for span entries (to show that memory is bounded). */
    int fragmentBounds() {
        return fragments.size();
    }

    /** Starts a fragment at {@code bound}, covered by what covered the key there before. */
    private void split(ByteString bound) {
        if (fragments.containsKey(bound)) {
            return;
        }
        Map.Entry<ByteString, Set<E>> floor = fragments.floorEntry(bound);
        fragments.put(bound, floor == null ? new LinkedHashSet<>() : new LinkedHashSet<>(floor.getValue()));
    }

    /** Drops the fragment at {@code bound} when it is covered exactly like the one before it. */
    private void mergeIfRedundant(ByteString bound) {
        Set<E> covering = fragments.get(bound);
        if (covering == null) {
            return;
        }
        Map.Entry<ByteString, Set<E>> before = fragments.lowerEntry(bound);
        boolean redundant = before == null ? covering.isEmpty() : before.getValue().equals(covering);
        if (redundant) {
            fragments.remove(bound);
        }
    }

    /** The fragments inside {@code span} (its bounds must be fragment bounds). */
    private NavigableMap<ByteString, Set<E>> fragmentsOf(KeySpan span) {
        return span.hasEnd()
                ? fragments.subMap(span.start(), true, span.end(), false)
                : fragments.tailMap(span.start(), true);
    }

    private static <E> boolean anyOf(Iterable<E> entries, Predicate<? super E> test) {
        for (E entry : entries) {
            if (test.test(entry)) {
                return true;
            }
        }
        return false;
    }

    private static <E> boolean removeByIdentity(List<E> list, E entry) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == entry) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }
}
