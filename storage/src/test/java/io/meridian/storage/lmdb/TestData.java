package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.truetime.Timestamp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Short names for the values tests build over and over. */
final class TestData {

    static final GroupId GROUP = new GroupId(1);

    private TestData() {
    }

    /** The bytes of {@code text} read as ISO-8859-1, so "a\0" and "\u00ff" are one byte each. */
    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.ISO_8859_1);
    }

    static Timestamp ts(long micros) {
        return new Timestamp(micros);
    }

    /** Options for a test store: a small map and no boot-id check unless a test asks. */
    static LmdbOptions options(Path dir) {
        return LmdbOptions.defaults()
                .withMapSizeBytes(1L << 30)
                .withBootIdFile(dir.resolveSibling(dir.getFileName() + ".no-boot-id"));
    }

    static LmdbMvccStore open(Path dir) {
        return LmdbMvccStore.open(dir, options(dir));
    }
}
