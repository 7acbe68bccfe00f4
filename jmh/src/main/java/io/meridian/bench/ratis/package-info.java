/**
 * Replication floor and multi-raft cost, measured on bare Apache Ratis before Meridian's own
 * group layer exists: plain {@code main} drivers (not JMH benchmarks) that start real Ratis
 * servers in separate JVMs on 127.0.0.1.
 * <ul>
 *   <li>{@link io.meridian.bench.ratis.BareRatisFloor}: write latency and throughput of one
 *       3-replica group with a no-op state machine, fsync on and off;</li>
 *   <li>{@link io.meridian.bench.ratis.MultiRaftCost}: threads, RSS, idle CPU and write latency
 *       of a node hosting 1 to 100 groups, under several Ratis profiles;</li>
 *   <li>{@link io.meridian.bench.ratis.BareRatisServer}: the server process both start.</li>
 * </ul>
 * Commands and figures are in {@code docs/benchmarks.md} ("Replication floor and multi-raft cost").
 * Ratis types are used here directly: this package measures Ratis itself, so the rule that Ratis
 * stays inside {@code io.meridian.groups.ratis} does not apply to it.
 */
package io.meridian.bench.ratis;
