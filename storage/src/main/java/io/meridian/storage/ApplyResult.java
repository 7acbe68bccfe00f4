package io.meridian.storage;

/** What {@link MvccStore#apply} did with a batch. */
public enum ApplyResult {

    /** The batch was written, with its applied index, in one atomic transaction. */
    APPLIED,

    /**
     * The group's applied index was already at or past the batch's, so nothing was written.
     * Replaying the Raft log after a crash hits this for every entry already in the store.
     */
    ALREADY_APPLIED
}
