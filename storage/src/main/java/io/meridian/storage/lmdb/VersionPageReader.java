package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Limit;
import io.meridian.storage.StoredVersion;
import io.meridian.storage.VersionPage;
import io.meridian.truetime.Timestamp;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads one page of raw versions ({@link io.meridian.storage.MvccStore#versions}) inside one
 * read transaction: whole keys, each key's versions in {@code (after, upTo]} oldest first,
 * values copied out of LMDB memory.
 */
final class VersionPageReader {

    private final LmdbTables tables;
    private final Txn<ByteBuffer> txn;

    VersionPageReader(LmdbTables tables, Txn<ByteBuffer> txn) {
        this.tables = tables;
        this.txn = txn;
    }

    VersionPage page(KeySpan span, Timestamp after, Timestamp upTo, Optional<ByteString> resumeAfterKey, int limit) {
        VersionReader reader = new VersionReader(tables, txn);
        ScratchBuffers scratch = new ScratchBuffers();
        List<StoredVersion> page = new ArrayList<>();
        long bytes = 0;
        try (Cursor<ByteBuffer> cursor = tables.versions.openCursor(txn)) {
            ByteString start = resumeAfterKey.orElse(span.start());
            boolean found = start.isEmpty() ? cursor.first() : cursor.get(KeyCodec.direct(start), GetOp.MDB_SET_RANGE);
            if (found && resumeAfterKey.isPresent() && KeyCodec.copy(cursor.key()).equals(resumeAfterKey.get())) {
                found = cursor.seek(SeekOp.MDB_NEXT_NODUP);
            }
            while (found) {
                ByteString key = KeyCodec.copy(cursor.key());
                if (!span.isBelowEnd(key)) {
                    return new VersionPage(page, Optional.empty());
                }
                List<StoredVersion> ofKey = new ArrayList<>();
                for (boolean sameKey = true; sameKey; sameKey = cursor.seek(SeekOp.MDB_NEXT_DUP)) {
                    VersionEntry entry = KeyCodec.decodeEntry(cursor.val());
                    if (entry.ts().isAfter(after) && !entry.ts().isAfter(upTo)) {
                        Optional<ByteString> value = entry.tombstone() ? Optional.empty()
                                : Optional.of(ByteString.copyFrom(reader.value(key, entry, scratch)));
                        ofKey.add(new StoredVersion(key, entry.ts(), value));
                    }
                }
                // Duplicates come newest first; a copy applies them oldest first.
                Collections.reverse(ofKey);
                page.addAll(ofKey);
                bytes += ofKey.stream().mapToLong(StoredVersion::sizeBytes).sum();
                if (page.size() >= limit || bytes >= Limit.SCAN_PAGE_BYTES.max()) {
                    return new VersionPage(page, Optional.of(key));
                }
                found = cursor.seek(SeekOp.MDB_NEXT_NODUP);
            }
        }
        return new VersionPage(page, Optional.empty());
    }
}
