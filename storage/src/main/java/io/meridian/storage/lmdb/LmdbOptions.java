package io.meridian.storage.lmdb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link LmdbMvccStore#open} sets up the LMDB environment.
 *
 * @param mapSizeBytes the largest size the data file may reach (LMDB maps this much address
 *     space; the file grows only as data is written). Writes beyond it fail with
 *     {@link io.meridian.storage.StoreResourceExhaustedException}.
 * @param syncOnCommit true to fsync on every commit. False (the default) relies on the Raft log
 *     for durability: commits survive a process crash but not a power loss until
 *     {@link LmdbMvccStore#sync()}; see {@code docs/storage.md}.
 * @param maxReaders the most read transactions open at once (concurrent reads plus open span
 *     snapshots)
 * @param bootIdFile a file whose content identifies the current boot of the machine
 *     ({@code /proc/sys/kernel/random/boot_id} on Linux). With {@code syncOnCommit} off, opening
 *     a store that had unsynced commits under a different boot fails with
 *     {@link io.meridian.storage.StoreNeedsRebuildException}. If the file does not exist the
 *     check is skipped.
 */
public record LmdbOptions(long mapSizeBytes, boolean syncOnCommit, int maxReaders, Path bootIdFile) {

    /** Default map size: 16 GiB of address space. */
    public static final long MAP_SIZE_BYTES_DEFAULT = 16L << 30;

    /** Default reader slots. */
    public static final int MAX_READERS_DEFAULT = 512;

    /** Where Linux publishes the boot id. */
    public static final Path BOOT_ID_FILE_DEFAULT = Path.of("/proc/sys/kernel/random/boot_id");

    public LmdbOptions {
        if (mapSizeBytes <= 0) {
            throw new IllegalArgumentException("map size must be positive: " + mapSizeBytes);
        }
        if (maxReaders < 1) {
            throw new IllegalArgumentException("max readers must be at least 1: " + maxReaders);
        }
        Objects.requireNonNull(bootIdFile, "bootIdFile");
    }

    /** 16 GiB map, no fsync per commit, 512 readers, the Linux boot id. */
    public static LmdbOptions defaults() {
        return new LmdbOptions(MAP_SIZE_BYTES_DEFAULT, false, MAX_READERS_DEFAULT, BOOT_ID_FILE_DEFAULT);
    }

    /** These options with another map size. */
    public LmdbOptions withMapSizeBytes(long bytes) {
        return new LmdbOptions(bytes, syncOnCommit, maxReaders, bootIdFile);
    }

    /** These options with fsync on every commit switched on or off. */
    public LmdbOptions withSyncOnCommit(boolean sync) {
        return new LmdbOptions(mapSizeBytes, sync, maxReaders, bootIdFile);
    }

    /** These options with another number of reader slots. */
    public LmdbOptions withMaxReaders(int readers) {
        return new LmdbOptions(mapSizeBytes, syncOnCommit, readers, bootIdFile);
    }

    /** These options reading the boot id from another file (tests simulate reboots with it). */
    public LmdbOptions withBootIdFile(Path file) {
        return new LmdbOptions(mapSizeBytes, syncOnCommit, maxReaders, file);
    }
}
