package io.meridian.txn.sim;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.txn.KeyRouter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The simulated cluster's fixed directory: ranges covering the whole keyspace, each served by one
 * group. Ranges never move in the simulation, so the answer is never stale.
 */
final class SimKeyRouter implements KeyRouter {

    private final List<Piece> ranges;

    /** {@code ranges} must cover the keyspace without overlaps; any order. */
    SimKeyRouter(List<Piece> ranges) {
        List<Piece> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing((Piece piece) -> piece.span().start(), Keys.ORDER));
        KeySpan.requireSortedDisjoint(sorted.stream().map(Piece::span).toList());
        this.ranges = List.copyOf(sorted);
    }

    @Override
    public GroupId groupOf(ByteString key) {
        for (Piece range : ranges) {
            if (range.span().contains(key)) {
                return range.group();
            }
        }
        throw new IllegalArgumentException("no range holds " + Keys.describe(key));
    }

    @Override
    public List<Piece> pieces(KeySpan span) {
        List<Piece> pieces = new ArrayList<>();
        for (Piece range : ranges) {
            ByteString start = Keys.compare(range.span().start(), span.start()) > 0 ? range.span().start() : span.start();
            ByteString end = minEnd(range.span(), span);
            if (!end.isEmpty() && Keys.compare(start, end) >= 0) {
                continue;
            }
            pieces.add(new Piece(range.group(), new KeySpan(start, end)));
        }
        return pieces;
    }

    /** The smaller end of two spans, where an empty end is the end of the keyspace. */
    private static ByteString minEnd(KeySpan a, KeySpan b) {
        if (!a.hasEnd()) {
            return b.end();
        }
        if (!b.hasEnd()) {
            return a.end();
        }
        return Keys.compare(a.end(), b.end()) <= 0 ? a.end() : b.end();
    }
}
