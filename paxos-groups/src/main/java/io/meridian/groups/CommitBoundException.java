package io.meridian.groups;

import io.meridian.storage.GroupId;
import io.meridian.truetime.Timestamp;

/**
 * The next timestamp the group's leader would assign exceeds the caller's bound
 * ({@link GroupReplica#commitAtMost}, {@link GroupReplica#commitTxn}): nothing was proposed, so
 * nothing will be applied. Whether a retry can succeed depends on the bound: time only moves
 * the next timestamp up.
 */
public final class CommitBoundException extends RuntimeException {

    private final Timestamp next;
    private final Timestamp bound;

    public CommitBoundException(GroupId group, Timestamp next, Timestamp bound) {
        super(group + " would assign " + next + ", above the bound " + bound + "; nothing was proposed");
        this.next = next;
        this.bound = bound;
    }

    /** The timestamp the leader would have assigned. */
    public Timestamp next() {
        return next;
    }

    /** The caller's upper bound. */
    public Timestamp bound() {
        return bound;
    }
}
