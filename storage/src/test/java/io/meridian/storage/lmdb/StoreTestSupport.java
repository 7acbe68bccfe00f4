package io.meridian.storage.lmdb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Gives a test class a fresh store in a temporary directory, closed after each test. */
abstract class StoreTestSupport {

    @TempDir
    Path dir;

    LmdbMvccStore store;

    @BeforeEach
    void openStore() {
        store = TestData.open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Closes the store and opens it again from its files. */
    void reopen() {
        store.close();
        store = TestData.open(dir);
    }
}
