package io.meridian.txn.sim;

/**
 * A timestamped command as a group's replicated log holds it, with the state machine's verdict:
 * what the per-group timestamp check (invariant 3) reads.
 *
 * @param group the group's number
 * @param index the log index
 * @param kind {@code WRITE}, {@code PREPARE}, {@code COMMIT_TXN} (a timestamp the leader
 *     assigned) or {@code LEASE} (its closed timestamp: no later assigned timestamp may be at or
 *     below it)
 * @param tsMicros the assigned or closed timestamp
 * @param applied true when the state machine applied it, false when it refused it
 * @param rejectReason the refusal's reason, empty when applied
 */
record LoggedCommand(long group, long index, String kind, long tsMicros, boolean applied, String rejectReason) {

    static final String WRITE = "WRITE";
    static final String PREPARE = "PREPARE";
    static final String COMMIT_TXN = "COMMIT_TXN";
    static final String LEASE = "LEASE";

    static LoggedCommand applied(long group, long index, String kind, long tsMicros) {
        return new LoggedCommand(group, index, kind, tsMicros, true, "");
    }
}
