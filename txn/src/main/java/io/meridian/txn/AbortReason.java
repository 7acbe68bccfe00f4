package io.meridian.txn;

/** Why a read-write transaction aborted. Every reason means: nothing committed; retry it. */
public enum AbortReason {
    /** An older transaction needed a lock this one held (wound-wait). */
    WOUNDED,
    /** A lock wait outlasted its bound. */
    LOCK_TIMEOUT,
    /** The group's leader changed and the locks it granted are gone. */
    LOCKS_LOST,
    /** The gateway stopped keeping the transaction alive. */
    IDLE,
    /** The coordinator decided abort (a participant could not prepare, the deadline passed). */
    DECIDED,
    /** A write overlapped the writes of a prepared transaction. */
    CONFLICT,
    /** The commit could not fit under the other groups' read validity. */
    TOO_LATE,
    /** The client rolled back. */
    ROLLED_BACK
}
