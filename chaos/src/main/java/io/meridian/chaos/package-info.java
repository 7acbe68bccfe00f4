/**
 * The cluster-level correctness harness: Jepsen-style workloads against real node processes,
 * fault injection (nemeses) and history checkers for strict serializability.
 *
 * <p>Empty until the "Consistency harness" issue.
 */
package io.meridian.chaos;
