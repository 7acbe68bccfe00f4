/**
 * Transactions (docs/transactions.md): the wound-wait {@link io.meridian.txn.LockTable}, the
 * participant and coordinator of two-phase commit ({@link io.meridian.txn.TxnParticipant}, one
 * per group replica), the gateway side of read-write and read-only transactions
 * ({@link io.meridian.txn.TxnDriver}, {@link io.meridian.txn.ReadWriteTxn}), liveness and
 * recovery.
 *
 * <p>Everything here is deterministic protocol code: it takes its clock, scheduler, replicated
 * groups ({@code GroupReplica}), routing ({@link io.meridian.txn.KeyRouter}) and network
 * ({@link io.meridian.txn.TxnTransport}) as interfaces, so the same code runs in the simulator
 * and under Ratis/gRPC.
 */
package io.meridian.txn;
