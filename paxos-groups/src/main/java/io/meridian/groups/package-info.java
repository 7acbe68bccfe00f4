/**
 * Groups: Apache Ratis (Raft) groups that host key ranges (multi-raft: one {@code RaftServer}
 * per node, one division per group replica), the group state machine over {@code MvccStore},
 * leader leases on TrueTime, range split/merge/move, the meta group and the placement driver.
 *
 * <p>Ratis types appear only in {@code io.meridian.groups.ratis}; the rest of the package is
 * plain protocol code driven through the {@code TrueTime}, {@code Scheduler} and
 * {@link io.meridian.groups.ReplicatedLog} seams, so it runs unchanged under a simulated log.
 *
 * <p>Roles: {@link io.meridian.groups.RangeStateMachine} applies replicated commands
 * (decided by {@code CommandOutcomes}, with {@code ReadChecks} and {@code MetaCommands}) and
 * persists {@link io.meridian.groups.GroupState} beside each command's effects;
 * {@link io.meridian.groups.RangeGroupReplica} serves commits and reads on top of it, with
 * {@code LeaderLease} for leases and timestamps and {@code SafeTimeWaiters} for snapshot
 * reads; {@link io.meridian.groups.GroupEnvironment} is what a node gives its replicas.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Apply is deterministic: the reply and the new state depend only on the command, the
 *       applied state and the group's data. A command's mutations, the new state and the
 *       applied index are written in one batch; a refused command changes only the index.</li>
 *   <li>Per group, applied write timestamps strictly increase ({@code STALE_TIMESTAMP}
 *       otherwise), across leader changes: a leader assigns
 *       {@code s = max(TT.now().latest, lastAssigned + 1)} below its lease end, and a new leader
 *       assigns nothing until {@code TT.after} the end of every earlier lease.</li>
 *   <li>A commit is acknowledged only once applied at the leader and {@code TT.after(s)}.</li>
 *   <li>A replica's safe time is its applied {@code lastTs} (writes and lease closed
 *       timestamps); no write at or below it is applied later, and it serves no read above
 *       it.</li>
 *   <li>Range ids are {@code group_id * 2^32 + sequence}, allocated by the group itself.</li>
 * </ul>
 */
package io.meridian.groups;
