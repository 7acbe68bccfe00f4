/**
 * Transactions: the wound-wait lock table, the participant and coordinator of two-phase
 * commit, commit wait, read-only transactions and {@code t_safe}, liveness and recovery.
 *
 * <p>Empty until the "Distributed transactions" issue. Everything here is deterministic
 * protocol code: it takes its clock, scheduler and replicated log as interfaces, so the same
 * code runs in the simulator and under Ratis/gRPC.
 */
package io.meridian.txn;
