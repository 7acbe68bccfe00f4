package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Mutation;
import java.util.List;
import java.util.Optional;

/**
 * Questions about a group's ranges (sorted by start, disjoint): which range holds a key, and
 * whether keys, spans and mutations lie inside the group.
 *
 * <p>A span (a {@code delete_range}, a scan) is inside the group when the <em>union</em> of its
 * ranges encloses it: adjacent ranges of one group join, so a span may cross the split points of
 * the group's own ranges.
 */
final class GroupRanges {

    private GroupRanges() {
    }

    /** The key span of a range. */
    static KeySpan span(RangeState range) {
        return Mutations.span(range.getSpan());
    }

    /** The key spans of {@code ranges}, in order. */
    static List<KeySpan> spans(List<RangeState> ranges) {
        return ranges.stream().map(GroupRanges::span).toList();
    }

    /** The range holding {@code key}, if any. */
    static Optional<RangeState> holding(List<RangeState> ranges, ByteString key) {
        return ranges.stream().filter(range -> span(range).contains(key)).findFirst();
    }

    /** True when the union of {@code ranges} encloses {@code span}. */
    static boolean encloses(List<RangeState> ranges, KeySpan span) {
        return KeySpan.unionEncloses(spans(ranges), span);
    }

    /** A description of the first mutation outside {@code ranges}, if any. */
    static Optional<String> firstOutside(List<RangeState> ranges, List<Mutation> mutations) {
        for (Mutation mutation : mutations) {
            boolean inside = switch (mutation) {
                case Mutation.Put put -> holding(ranges, put.key()).isPresent();
                case Mutation.Delete delete -> holding(ranges, delete.key()).isPresent();
                case Mutation.DeleteRange range -> encloses(ranges, range.span());
            };
            if (!inside) {
                return Optional.of(describe(mutation) + " is outside the group's ranges");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks that every key of {@code spec} lies in {@code ranges}.
     *
     * @throws CommandRejectedException ({@code WRONG_RANGE}) otherwise
     */
    static void requireInside(List<RangeState> ranges, ReadSpec spec) {
        switch (spec) {
            case ReadSpec.Keys keys -> {
                for (ByteString key : keys.keys()) {
                    if (holding(ranges, key).isEmpty()) {
                        throw wrongRange("key " + Keys.describe(key) + " is outside the group's ranges", ranges);
                    }
                }
            }
            case ReadSpec.Span span -> {
                if (!encloses(ranges, span.span())) {
                    throw wrongRange("span " + span.span() + " is outside the group's ranges", ranges);
                }
            }
        }
    }

    /** True when two spans share a key. */
    static boolean overlap(KeySpan a, KeySpan b) {
        return a.isBelowEnd(b.start()) && b.isBelowEnd(a.start());
    }

    /** The frozen range of {@code ranges} that {@code span} shares a key with, if any. */
    static Optional<RangeState> frozenOverlapping(List<RangeState> ranges, KeySpan span) {
        return ranges.stream().filter(RangeState::getFrozen).filter(range -> overlap(span(range), span)).findFirst();
    }

    /** The frozen range of {@code ranges} holding {@code key}, if any. */
    static Optional<RangeState> frozenHolding(List<RangeState> ranges, ByteString key) {
        return holding(ranges, key).filter(RangeState::getFrozen);
    }

    /** The first frozen range a mutation writes to, if any. */
    static Optional<RangeState> frozenWritten(List<RangeState> ranges, List<Mutation> mutations) {
        for (Mutation mutation : mutations) {
            Optional<RangeState> frozen = switch (mutation) {
                case Mutation.Put put -> frozenHolding(ranges, put.key());
                case Mutation.Delete delete -> frozenHolding(ranges, delete.key());
                case Mutation.DeleteRange range -> frozenOverlapping(ranges, range.span());
            };
            if (frozen.isPresent()) {
                return frozen;
            }
        }
        return Optional.empty();
    }

    /** The first frozen range a read of {@code spec} touches, if any. */
    static Optional<RangeState> frozenRead(List<RangeState> ranges, ReadSpec spec) {
        return switch (spec) {
            case ReadSpec.Keys keys -> keys.keys().stream()
                    .flatMap(key -> frozenHolding(ranges, key).stream()).findFirst();
            case ReadSpec.Span span -> frozenOverlapping(ranges, span.span());
        };
    }

    /**
     * Checks that {@code mutations} may be written in {@code ranges}.
     *
     * @throws CommandRejectedException ({@code WRONG_RANGE}) for a key outside them, ({@code RANGE_FROZEN})
     *     for a key in a range frozen for a move
     */
    static void requireWritable(List<RangeState> ranges, List<Mutation> mutations) {
        Optional<String> outside = firstOutside(ranges, mutations);
        if (outside.isPresent()) {
            throw wrongRange(outside.get(), ranges);
        }
        Optional<RangeState> frozen = frozenWritten(ranges, mutations);
        if (frozen.isPresent()) {
            throw rangeFrozen(frozen.get(), ranges);
        }
    }

    /** The exception a replica throws for a request on a range frozen for a move. */
    static CommandRejectedException rangeFrozen(RangeState range, List<RangeState> ranges) {
        return new CommandRejectedException(RejectReason.REJECT_REASON_RANGE_FROZEN, "range " + range.getRangeId()
                + " is frozen for a move to another group (frozen at " + range.getFrozenAtMicros() + "us); retry",
                ranges);
    }

    /** The exception a replica throws for keys outside its group. */
    static CommandRejectedException wrongRange(String message, List<RangeState> ranges) {
        return new CommandRejectedException(RejectReason.REJECT_REASON_WRONG_RANGE, message, ranges);
    }

    private static String describe(Mutation mutation) {
        return switch (mutation) {
            case Mutation.Put put -> "put of " + Keys.describe(put.key());
            case Mutation.Delete delete -> "delete of " + Keys.describe(delete.key());
            case Mutation.DeleteRange range -> "delete_range of " + range.span();
        };
    }
}
