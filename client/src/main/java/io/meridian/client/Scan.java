package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a key span, read lazily page by page: the first page is requested when the scan
 * is first iterated (or its {@link #readTimestamp()} asked), each further page only once the
 * rows before it have been consumed, so a scan of any size holds at most one page in memory
 * and reads no more than its consumer takes. Every page is read at the first page's
 * timestamp: the scan is one consistent snapshot.
 *
 * <p>Iterate it once (by {@link #iterator()} or {@link #stream()}). Not thread-safe. Closing
 * it stops further requests; it holds no server state, so closing is optional but a good
 * habit ({@code try (Scan scan = ...)}).
 */
public final class Scan implements Iterable<KeyValue>, AutoCloseable {

    /** Fetches one page of the scan. */
    @FunctionalInterface
    interface PageSource {

        /**
         * Reads the next page.
         *
         * @param resumeKey      where to continue; empty for the first page
         * @param rowLimit       the most rows to return, at least 1
         * @param firstPageTimestamp the first page's read timestamp; empty for the first page
         */
        Page fetch(ByteString resumeKey, long rowLimit, Optional<Timestamp> firstPageTimestamp);
    }

    /**
     * One page of rows.
     *
     * @param rows          the rows, in scan order
     * @param readTimestamp the timestamp they were read at
     * @param resumeKey     where the next page continues; empty when the span is exhausted
     */
    record Page(List<KeyValue> rows, Timestamp readTimestamp, ByteString resumeKey) {
    }

    private final PageSource source;
    private final ScanOptions options;
    private final ArrayDeque<KeyValue> buffered = new ArrayDeque<>();
    private Timestamp readTimestamp;
    private ByteString resumeKey = ByteString.EMPTY;
    private boolean exhausted;
    private boolean closed;
    private boolean iterated;
    private long returned;

    Scan(PageSource source, ScanOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The timestamp every row of this scan is read at. Reads the first page if no page has been
     * read yet.
     */
    public Timestamp readTimestamp() {
        if (readTimestamp == null) {
            checkOpen();
            fetchPage();
        }
        return readTimestamp;
    }

    /**
     * The rows, fetching pages as they are consumed. Failures surface from {@code hasNext} as
     * {@link MeridianException}s.
     *
     * @throws IllegalStateException on a second call, or after {@link #close()}
     */
    @Override
    public Iterator<KeyValue> iterator() {
        checkOpen();
        if (iterated) {
            throw new IllegalStateException("a scan can be iterated only once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return advance();
            }

            @Override
            public KeyValue next() {
                if (!advance()) {
                    throw new NoSuchElementException("the scan has no more rows");
                }
                returned++;
                return buffered.poll();
            }
        };
    }

    /** The rows as a sequential, lazy stream; closing the stream closes the scan. */
    public Stream<KeyValue> stream() {
        Spliterator<KeyValue> rows = Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(rows, false).onClose(this::close);
    }

    /** Stops the scan: no further page is requested. Idempotent. */
    @Override
    public void close() {
        closed = true;
        buffered.clear();
    }

    /** True when a row is buffered, fetching pages until one is or the span is exhausted. */
    private boolean advance() {
        while (!closed && buffered.isEmpty() && !exhausted && !limitReached()) {
            fetchPage();
        }
        return !closed && !buffered.isEmpty() && !limitReached();
    }

    private boolean limitReached() {
        return options.limit() > 0 && returned >= options.limit();
    }

    private void fetchPage() {
        if (exhausted) {
            return;
        }
        long wanted = options.pageSize();
        if (options.limit() > 0) {
            wanted = Math.min(wanted, options.limit() - returned - buffered.size());
        }
        Page page = source.fetch(resumeKey, Math.max(1, wanted), Optional.ofNullable(readTimestamp));
        if (readTimestamp == null) {
            readTimestamp = page.readTimestamp();
        }
        buffered.addAll(page.rows());
        resumeKey = page.resumeKey();
        exhausted = resumeKey.isEmpty();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the scan is closed");
        }
    }
}
