package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@link ReadContext} of {@link MeridianClient#singleUse(TimestampBound)}: each call is
 * its own read-only transaction with the one bound; a scan's later pages are read at its first
 * page's timestamp. Stateless, thread-safe.
 */
final class SingleUseReadContext implements ReadContext {

    private final ClientCore core;
    private final TimestampBound bound;

    SingleUseReadContext(ClientCore core, TimestampBound bound) {
        this.core = core;
        this.bound = bound;
    }

    @Override
    public Optional<KeyValue> get(ByteString key) {
        return read(List.of(key)).get(key);
    }

    @Override
    public ReadResult read(Collection<ByteString> keys) {
        return Blocking.join(core.singleUse().read(bound, List.copyOf(keys)));
    }

    @Override
    public Scan scan(KeySpan span, ScanOptions options) {
        core.checkOpen();
        return new Scan((resumeKey, rowLimit, firstPageTimestamp) -> Blocking.join(core.singleUse().readPage(
                firstPageTimestamp.<TimestampBound>map(TimestampBound::readTimestamp).orElse(bound), span, resumeKey,
                rowLimit, options.reverse())), options);
    }
}
