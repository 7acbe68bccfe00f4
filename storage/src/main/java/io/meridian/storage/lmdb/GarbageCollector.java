package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Version GC. First raises and commits the horizon, so reads below it fail from then on; then
 * walks the keyspace a page of keys per write transaction (other writes run in between), and
 * for each key removes what no read at or above the horizon can see:
 * <ul>
 *   <li>every version older than the newest version at or below the horizon;</li>
 *   <li>that version too when it is a tombstone: a read at or above the horizon then finds
 *       either a newer version or nothing, which is what the tombstone meant.</li>
 * </ul>
 * A crash part-way leaves the horizon raised and some keys not yet collected; the next run
 * collects them.
 */
final class GarbageCollector {

    /** Keys examined per write transaction. */
    private static final int PAGE_KEYS = 512;

    private final LmdbTables tables;
    private final StoreRecords records;

    GarbageCollector(LmdbTables tables) {
        this.tables = tables;
        this.records = new StoreRecords(tables);
    }

    /** Raises the horizon to at least {@code watermark} and collects; returns versions removed. */
    long collect(Timestamp watermark) {
        Timestamp horizon = tables.write(txn -> records.raiseGcHorizon(txn, watermark));
        long removed = 0;
        Optional<ByteString> after = Optional.empty();
        while (true) {
            Optional<ByteString> from = after;
            Page page = tables.write(txn -> collectPage(txn, horizon, from));
            removed += page.removed();
            if (page.lastKey().isEmpty()) {
                return removed;
            }
            after = page.lastKey();
        }
    }

    /** What one transaction did: versions removed, and the last key examined if not done. */
    private record Page(long removed, Optional<ByteString> lastKey) {
    }

    private Page collectPage(Txn<ByteBuffer> txn, Timestamp horizon, Optional<ByteString> after) {
        VersionReader reader = new VersionReader(tables, txn);
        List<ByteString> keys = reader.keyPage(KeySpan.ALL, after, PAGE_KEYS);
        long removed = 0;
        for (ByteString key : keys) {
            removed += collectKey(txn, reader, key, horizon);
        }
        boolean more = keys.size() == PAGE_KEYS;
        return new Page(removed, more ? Optional.of(keys.get(keys.size() - 1)) : Optional.empty());
    }

    private long collectKey(Txn<ByteBuffer> txn, VersionReader reader, ByteString key, Timestamp horizon) {
        ByteBuffer keyBuffer = KeyCodec.direct(key);
        List<VersionEntry> entries = reader.allVersions(keyBuffer);
        int newestVisible = 0;
        while (newestVisible < entries.size() && entries.get(newestVisible).ts().isAfter(horizon)) {
            newestVisible++;
        }
        if (newestVisible == entries.size()) {
            return 0;
        }
        int firstRemoved = entries.get(newestVisible).tombstone() ? newestVisible : newestVisible + 1;
        VersionWriter writer = new VersionWriter(tables, txn);
        for (VersionEntry entry : entries.subList(firstRemoved, entries.size())) {
            writer.remove(key, keyBuffer, entry);
        }
        return entries.size() - firstRemoved;
    }
}
