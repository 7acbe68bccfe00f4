package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Limit;
import io.meridian.storage.MvccStore;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serves a {@link ReadSpec} from the store at one timestamp, and estimates a group's size.
 * Stateless; safe from any thread.
 */
final class GroupReads {

    private GroupReads() {
    }

    /**
     * Reads {@code spec} at {@code readTs}: point keys in the order given (absent keys left out),
     * or one page of a scan with the store's resume key (see {@link ScanResult} for its meaning
     * in each direction).
     */
    static ReadResult read(MvccStore store, ReadSpec spec, Timestamp readTs) {
        return switch (spec) {
            case ReadSpec.Keys keys -> {
                List<Version> rows = new ArrayList<>();
                for (ByteString key : keys.keys()) {
                    store.get(key, readTs).ifPresent(rows::add);
                }
                yield new ReadResult(rows, readTs, Optional.empty());
            }
            case ReadSpec.Span span -> {
                ScanResult page = store.scan(span.span(), readTs, span.limit(), span.direction());
                yield new ReadResult(page.rows(), readTs, page.resumeKey());
            }
        };
    }

    /**
     * Key and value bytes of the newest live versions in {@code spans}, counting at most
     * {@code rowsMax} rows: exact below the cap, a lower bound at it.
     */
    static long liveBytes(MvccStore store, List<KeySpan> spans, long rowsMax) {
        long bytes = 0;
        long rows = 0;
        for (KeySpan span : spans) {
            Optional<KeySpan> rest = Optional.of(span);
            while (rest.isPresent() && rows < rowsMax) {
                int limit = (int) Math.min(Limit.SCAN_ROWS.max(), rowsMax - rows);
                ScanResult page = store.scan(rest.get(), Timestamp.MAX, limit, ScanDirection.FORWARD);
                for (Version version : page.rows()) {
                    bytes += version.key().size() + version.value().size();
                }
                rows += page.rows().size();
                rest = page.remainder(rest.get(), ScanDirection.FORWARD);
            }
        }
        return bytes;
    }
}
