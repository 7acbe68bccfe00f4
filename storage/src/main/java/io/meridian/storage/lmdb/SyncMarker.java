package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.StoreNeedsRebuildException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Detects the one case where skipping fsync per commit can lose more than the Raft log can
 * replay: the machine went down (power loss, OS crash) while LMDB held unsynced commits. With
 * {@code MDB_NOSYNC} the OS may have written some pages of those commits and not others, so the
 * file may be corrupt, not merely behind.
 *
 * <p>Before the first write after a sync the store durably records "unsynced" together with
 * the machine's boot id; {@link #sync()} durably clears it. Opening a store marked unsynced
 * under a different boot id fails with {@link StoreNeedsRebuildException}. A process kill keeps
 * the boot id, and committed pages are safe in the page cache, so the store opens normally.
 *
 * <p>Every method runs with the writer lock held.
 */
final class SyncMarker {

    private static final String UNSYNCED = "unsynced";
    private static final String BOOT_ID = "boot-id";

    private final LmdbTables tables;
    private final boolean commitsUnsynced;
    private final Optional<ByteString> bootId;
    private boolean markedUnsynced;

    SyncMarker(LmdbTables tables, LmdbOptions options) {
        this.tables = tables;
        this.commitsUnsynced = !options.syncOnCommit();
        this.bootId = readBootId(options.bootIdFile());
    }

    /** Refuses a store left unsynced by an earlier boot, then records this boot as synced. */
    void onOpen() {
        StoreRecords records = new StoreRecords(tables);
        tables.commitWrite(txn -> {
            boolean unsynced = records.storeEntry(txn, UNSYNCED).map(flag -> flag.byteAt(0) != 0).orElse(false);
            Optional<ByteString> storedBootId = records.storeEntry(txn, BOOT_ID);
            if (unsynced && storedBootId.isPresent() && bootId.isPresent() && !storedBootId.equals(bootId)) {
                throw new StoreNeedsRebuildException("store at " + tables.dir
                        + " had commits not yet synced when the machine restarted (boot "
                        + storedBootId.get().toStringUtf8() + ", now " + bootId.get().toStringUtf8()
                        + "); LMDB may have lost or corrupted them: delete the directory and rebuild from peers");
            }
            return null;
        });
        // After a process kill the last commits may sit only in the page cache: make them durable.
        tables.env.sync(true);
        writeMarker(false);
    }

    /** Records "unsynced" durably before the first unsynced commit after a sync. */
    void beforeWrite() {
        if (commitsUnsynced && !markedUnsynced) {
            writeMarker(true);
        }
    }

    /** Forces every commit to disk, then records "synced" durably. */
    void sync() {
        tables.env.sync(true);
        if (markedUnsynced) {
            writeMarker(false);
        }
    }

    private void writeMarker(boolean unsynced) {
        StoreRecords records = new StoreRecords(tables);
        tables.commitWrite(txn -> {
            records.putStoreEntry(txn, UNSYNCED, ByteString.copyFrom(new byte[] {(byte) (unsynced ? 1 : 0)}));
            bootId.ifPresent(id -> records.putStoreEntry(txn, BOOT_ID, id));
            return null;
        });
        tables.env.sync(true);
        markedUnsynced = unsynced;
    }

    private static Optional<ByteString> readBootId(Path file) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(ByteString.copyFromUtf8(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the boot id from " + file, e);
        }
    }
}
