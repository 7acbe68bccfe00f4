package io.meridian.server.status;

/**
 * The reason a Meridian node gives in the {@code google.rpc.ErrorInfo} detail of every error it
 * returns (domain {@link #DOMAIN}). Its presence tells a gateway that a node, not the transport,
 * produced the status.
 */
public enum ErrorReason {

    /** This node does not lead the group (details: LeaderHint). Nothing done; retry at the leader. */
    NOT_LEADER,

    /** The leader cannot use its lease right now (details: LeaderHint). Nothing done; retry shortly. */
    LEASE_UNAVAILABLE,

    /** The keys are not in the group's ranges (details: RangeDescriptor). Nothing done; re-route. */
    WRONG_RANGE,

    /** The leader's commit timestamp was stale (a deposed leader). Retry the transaction. */
    STALE_TIMESTAMP,

    /** The group refused the request as malformed for its state. */
    INVALID,

    /** The request broke a documented limit (details: LimitViolation). */
    LIMIT_EXCEEDED,

    /**
     * The range is frozen while it moves to another group. Nothing done; retry shortly (the
     * gateway does, re-routing once the directory names the new group).
     */
    RANGE_FROZEN,

    /** The range move cannot run: unknown range or group, or the target already serves it. */
    MOVE_REFUSED,

    /**
     * The transaction is aborted: nothing of it committed (wounded by an older transaction, a
     * lock wait timed out, locks lost to a leader change, a refused prepare or commit). The
     * {@code ErrorInfo} metadata {@code abort_reason} says which. Retry it with its priority.
     */
    TXN_ABORTED,

    /** The request is malformed. */
    INVALID_REQUEST,

    /** The read timestamp is below the retained history. */
    READ_BELOW_HORIZON,

    /** The replica's safe time did not reach the read timestamp in time. */
    SAFE_TIME_WAIT_TIMEOUT,

    /** The call's deadline passed before its outcome was known (reads only). */
    DEADLINE,

    /** The commit may or may not have applied. Never retried. */
    COMMIT_AMBIGUOUS,

    /** The transaction id is unknown or finished. */
    TRANSACTION_NOT_FOUND,

    /** The capability is not served yet. */
    NOT_SERVED_YET,

    /** No node could serve the request right now (no leader, unreachable nodes, no route). */
    UNAVAILABLE,

    /** This node's TrueTime uncertainty is above its bound: it assigns no timestamps. */
    FENCED,

    /** A failure that should not happen: a bug or an environment failure. */
    INTERNAL;

    /** The {@code ErrorInfo.domain} of Meridian's errors. */
    public static final String DOMAIN = "meridian.io";
}
