/**
 * The cluster-level correctness harness: Jepsen-style workloads against real node processes,
 * fault injection (nemeses) and history checkers for strict serializability.
 *
 * <p>{@code history} holds the history model and its checkers; {@code run} the workloads, the
 * nemeses (kills, pauses, partitions, leadership transfers, range splits and moves) and the
 * runner; {@code proxy} the fault-injecting TCP proxy; {@code net} the proxied node-to-node
 * network built on it.
 */
package io.meridian.chaos;
