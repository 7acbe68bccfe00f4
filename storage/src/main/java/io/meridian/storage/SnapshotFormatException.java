package io.meridian.storage;

import java.io.IOException;

/**
 * A span snapshot stream is not one this store can import: wrong magic or format version, a
 * checksum mismatch, a truncated stream, or records that contradict the header. When thrown
 * part-way through {@link MvccStore#importSpans}, the import stays listed in
 * {@link MvccStore#incompleteImports()}.
 */
public final class SnapshotFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message saying what was wrong and where. */
    public SnapshotFormatException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the decoding failure behind it. */
    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
