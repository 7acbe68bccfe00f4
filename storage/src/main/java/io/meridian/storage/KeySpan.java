package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A half-open span of keys {@code [start, end)}. An empty {@code start} means "from the first
 * key"; an empty {@code end} means "to the end of the keyspace". A bounded span is never empty:
 * {@code start < end}.
 *
 * @param start the first key in the span (inclusive); empty for the beginning of the keyspace
 * @param end the first key after the span (exclusive); empty for the end of the keyspace
 */
public record KeySpan(ByteString start, ByteString end) {

    /** The whole keyspace. */
    public static final KeySpan ALL = new KeySpan(ByteString.EMPTY, ByteString.EMPTY);

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException when {@code end} is not empty and not above {@code start}
     * @throws LimitExceededException when a bound is longer than {@link Limit#KEY_BYTES} (the end: by more than one byte)
     */
    public KeySpan {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Limit.KEY_BYTES.check(start.size());
        // An end may be one byte longer than a key: [key, key + 0x00) holds exactly the longest key.
        Limit.KEY_BYTES.check(Math.max(0, end.size() - 1));
        if (!end.isEmpty() && Keys.compare(start, end) >= 0) {
            throw new IllegalArgumentException("span start " + Keys.describe(start)
                    + " must be below its end " + Keys.describe(end));
        }
    }

    /** The span holding {@code key} alone: {@code [key, key + 0x00)}. */
    public static KeySpan ofKey(ByteString key) {
        return new KeySpan(key, key.concat(ByteString.copyFrom(new byte[] {0})));
    }

    /** The span {@code [start, end of keyspace)}. */
    public static KeySpan from(ByteString start) {
        return new KeySpan(start, ByteString.EMPTY);
    }

    /** True when the span stops before the end of the keyspace. */
    public boolean hasEnd() {
        return !end.isEmpty();
    }

    /** True when {@code key} lies in {@code [start, end)}. */
    public boolean contains(ByteString key) {
        return Keys.compare(key, start) >= 0 && isBelowEnd(key);
    }

    /** True when {@code key} is below the end of the span (always, when it has no end). */
    public boolean isBelowEnd(ByteString key) {
        return end.isEmpty() || Keys.compare(key, end) < 0;
    }

    /** True when every key of {@code other} is in this span. */
    public boolean encloses(KeySpan other) {
        boolean startInside = Keys.compare(other.start, start) >= 0;
        boolean endInside = !hasEnd() || (other.hasEnd() && Keys.compare(other.end, end) <= 0);
        return startInside && endInside;
    }

    /**
     * Returns an immutable copy of {@code spans} after checking it is non-empty, sorted and
     * without overlaps (adjacent spans are fine).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static List<KeySpan> requireSortedDisjoint(List<KeySpan> spans) {
        List<KeySpan> copy = requireSortedDisjointOrEmpty(spans);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one key span is required");
        }
        return copy;
    }

    /**
     * As {@link #requireSortedDisjoint}, but an empty list is accepted: for span snapshots of a
     * group that holds no key spans (the meta group, a group before its first range), which
     * carry only the group's records.
     *
     * @throws IllegalArgumentException when the spans are unsorted or overlap
     */
    public static List<KeySpan> requireSortedDisjointOrEmpty(List<KeySpan> spans) {
        List<KeySpan> copy = List.copyOf(spans);
        for (int i = 1; i < copy.size(); i++) {
            KeySpan previous = copy.get(i - 1);
            if (!previous.hasEnd() || Keys.compare(previous.end, copy.get(i).start) > 0) {
                throw new IllegalArgumentException("key spans must be sorted and disjoint: "
                        + previous + " overlaps or follows " + copy.get(i));
            }
        }
        return copy;
    }

    /**
     * True when the union of {@code cover} (sorted and disjoint) encloses {@code span}.
     * Adjacent spans of {@code cover} join into one.
     */
    public static boolean unionEncloses(List<KeySpan> cover, KeySpan span) {
        List<KeySpan> joined = new ArrayList<>();
        for (KeySpan next : cover) {
            int last = joined.size() - 1;
            if (last >= 0 && joined.get(last).hasEnd() && joined.get(last).end.equals(next.start)) {
                joined.set(last, new KeySpan(joined.get(last).start, next.end));
            } else {
                joined.add(next);
            }
        }
        return joined.stream().anyMatch(piece -> piece.encloses(span));
    }

    @Override
    public String toString() {
        return "[" + (start.isEmpty() ? "-inf" : Keys.describe(start)) + ", "
                + (end.isEmpty() ? "+inf" : Keys.describe(end)) + ")";
    }
}
