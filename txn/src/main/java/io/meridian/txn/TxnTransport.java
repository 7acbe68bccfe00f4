package io.meridian.txn;

import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Carries a transaction step to the leader of {@code request.group_id} and brings back its
 * answer: the seam between the transaction protocol and the network. The node implements it
 * over gRPC with leader routing; the simulator over its event queue.
 *
 * <p>The future fails with what the leader's {@link TxnParticipant} failed with:
 * {@link TxnAbortedException} (the step did nothing and the transaction is aborted there),
 * {@code NotLeaderException} / {@code LeaseUnavailableException} once the implementation's own
 * retries are spent (nothing done), {@code ReplicationException} when a replicated step's outcome
 * is unknown, and {@link TxnUnreachableException} when no answer came back (the step may or may
 * not have run).
 *
 * <p><b>Delivery.</b> Every step but {@code CommitOnePhase} is idempotent at the participant
 * (locks are re-entrant; prepare, coordinate and resolve are decided by the group's records), so
 * an implementation may deliver them more than once. A {@code CommitOnePhase} must reach the
 * participant at most once per send, and must not be re-sent after an attempt that may have
 * been delivered: a second copy reaching a new leader would commit again. (A copy repeated to the
 * same leader in the same term gets the first copy's answer.) The node's implementation re-sends
 * only attempts that certainly were not delivered.
 */
@FunctionalInterface
public interface TxnTransport {

    /** Sends {@code request} to its group's leader. */
    CompletableFuture<TxnReply> send(TxnRequest request);
}
