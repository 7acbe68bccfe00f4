package io.meridian.groups;

import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.storage.lmdb.LmdbOptions;
import java.nio.file.Path;

/** Real LMDB stores for the group tests: small maps, and a boot-id file of their own. */
public final class TestStores {

    private TestStores() {
    }

    /** Opens (or reopens) the store named {@code name} under {@code dir}. */
    public static LmdbMvccStore open(Path dir, String name) {
        return LmdbMvccStore.open(dir.resolve(name), LmdbOptions.defaults().withMapSizeBytes(1L << 28)
                .withBootIdFile(dir.resolve(name + ".no-boot-id")));
    }
}
