/**
 * The Apache Ratis implementation of the replication seam ({@link io.meridian.groups.ReplicationHost},
 * {@link io.meridian.groups.ReplicatedLog}): one {@code RaftServer} per node (gRPC transport),
 * one Ratis division per group replica, each driving one {@link io.meridian.groups.GroupStateMachine}.
 *
 * <p>This is the only package that imports Ratis types. Its invariants:
 * <ul>
 *   <li>Identities map one to one: a {@link io.meridian.storage.GroupId} is the Raft group whose
 *       UUID carries the group number ({@link RatisIds}), a {@link io.meridian.groups.NodeId} is
 *       the Raft peer id of the same spelling, a replica's {@code raftAddress} is the peer's
 *       address.</li>
 *   <li>Proposals enter the local leader's log synchronously in the proposing thread, so one
 *       thread's proposals are appended in the order it made them (verified against the Ratis
 *       3.3.0 source: {@code RaftServerImpl.appendTransaction} appends under the division's lock
 *       before {@code submitClientRequestAsync} returns, and the proxy waits for it).</li>
 *   <li>A proposal is reported as "not leader" only when it was never appended; any failure after
 *       the append is ambiguous ({@link io.meridian.groups.ReplicationException}).</li>
 *   <li>Leadership news reaches {@code GroupStateMachine.leaderChanged}: the new leader when a
 *       replica learns of it (this node itself as soon as it is elected; proposals are accepted
 *       once {@code ReplicatedLog.isLeader()} turns true, after the first entry of its term
 *       commits), and "no leader" when this replica steps down or has had no leader for long.</li>
 *   <li>The group state machine is called from one Ratis thread per group (the state machine
 *       updater) for apply, snapshots and snapshot installation; any exception or error from it
 *       goes to the node's {@link FatalErrorHandler}, and the replica applies nothing more.</li>
 * </ul>
 * Real time and threads are allowed here (this is an adapter package): Ratis owns its threads,
 * and proposals are bounded by the configured request timeout.
 */
package io.meridian.groups.ratis;
