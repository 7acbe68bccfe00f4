package io.meridian.storage;

/**
 * Opening the store found that its files cannot be trusted: the machine restarted (power loss
 * or OS crash) while commits were not yet forced to disk, so the file may have lost them or be
 * corrupt. The node must delete the store's directory and rebuild its groups from peers (Raft
 * snapshot plus log). Reopening does not help.
 */
public final class StoreNeedsRebuildException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message saying what was found. */
    public StoreNeedsRebuildException(String message) {
        super(message);
    }
}
