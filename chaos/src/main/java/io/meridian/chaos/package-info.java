/**
 * The cluster-level correctness harness: Jepsen-style workloads against real node processes,
 * fault injection (nemeses) and history checkers for strict serializability.
 *
 * <p>Being built (the "Consistency harness" issue): {@code history} holds the history model and
 * its checkers.
 */
package io.meridian.chaos;
