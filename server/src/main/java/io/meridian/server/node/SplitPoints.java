package io.meridian.server.node;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Limit;
import io.meridian.storage.MvccStore;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.Version;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.truetime.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * Finds where to split an oversized range: measures the live bytes (keys and values) of each of
 * a group's ranges by scanning the local store at a snapshot, and for the largest range above the
 * threshold returns the key at which half of its bytes lie before. Reads only; thread-safe.
 */
final class SplitPoints {

    private static final int PAGE_ROWS = (int) Limit.SCAN_ROWS.max();

    private SplitPoints() {
    }

    /**
     * A range of {@code ranges} larger than {@code thresholdBytes} and a key that splits it in
     * two halves of about equal size; empty when no range is that large or the largest cannot be
     * split (a single key).
     */
    static Optional<ByteString> find(MvccStore store, List<RangeState> ranges, Timestamp readTs, long thresholdBytes) {
        RangeState largest = null;
        long largestBytes = 0;
        for (RangeState range : ranges) {
            long bytes = measure(store, ProtoConversions.span(range.getSpan()), readTs, Long.MAX_VALUE).bytes();
            if (bytes > largestBytes) {
                largest = range;
                largestBytes = bytes;
            }
        }
        if (largest == null || largestBytes <= thresholdBytes) {
            return Optional.empty();
        }
        KeySpan span = ProtoConversions.span(largest.getSpan());
        Optional<ByteString> middle = measure(store, span, readTs, largestBytes / 2).stoppedAt();
        return middle.filter(key -> !key.equals(span.start()));
    }

    private record Measure(long bytes, Optional<ByteString> stoppedAt) {
    }

    /** Sums key and value bytes in {@code span}; stops at the first key where the sum passes {@code stopBytes}. */
    private static Measure measure(MvccStore store, KeySpan span, Timestamp readTs, long stopBytes) {
        long bytes = 0;
        Optional<KeySpan> rest = Optional.of(span);
        while (rest.isPresent()) {
            ScanResult page = store.scan(rest.get(), readTs, PAGE_ROWS, ScanDirection.FORWARD);
            for (Version version : page.rows()) {
                bytes += version.key().size() + version.value().size();
                if (bytes > stopBytes) {
                    return new Measure(bytes, Optional.of(version.key()));
                }
            }
            rest = page.remainder(rest.get(), ScanDirection.FORWARD);
        }
        return new Measure(bytes, Optional.empty());
    }
}
