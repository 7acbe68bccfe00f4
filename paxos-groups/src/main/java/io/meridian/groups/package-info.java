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
 * (decided by {@code CommandOutcomes}, with {@code RangeHandoffs}, {@code TxnCommands} and
 * {@code MetaCommands}) and persists {@link io.meridian.groups.GroupState}
 * (with its prepared transactions and decision records, {@link io.meridian.groups.GroupTxns})
 * beside each command's effects; {@link io.meridian.groups.RangeGroupReplica} serves commits,
 * two-phase-commit steps ({@code TxnSteps}) and reads on top of it, with {@code LeaderLease} for
 * leases and timestamps and {@code SafeTime} for {@code t_safe} and snapshot reads;
 * {@link io.meridian.groups.GroupEnvironment} is what a node gives its replicas.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Apply is deterministic: the reply and the new state depend only on the command, the
 *       applied state and the group's data. A command's mutations, the new state and the
 *       applied index are written in one batch; a refused command changes only the index.</li>
 *   <li>Per group, the timestamps a leader assigns (writes, prepares, coordinator commits)
 *       strictly increase and lie above {@code lastTs} when applied ({@code STALE_TIMESTAMP}
 *       otherwise), across leader changes: a leader assigns
 *       {@code s = max(TT.now().latest, lastAssigned + 1)} below its lease end, and a new leader
 *       assigns nothing until {@code TT.after} the end of every earlier lease. A participant's
 *       commit of a prepared transaction lands at the coordinator's timestamp, at or above its
 *       prepare timestamp and possibly below {@code lastTs}; {@code lastTs} is the highest
 *       timestamp applied, so every stored version of the group lies at or below it.</li>
 *   <li>While a transaction is prepared, no other command writes a key it writes
 *       ({@code LOCK_CONFLICT}), and the first decision recorded for a transaction is final.</li>
 *   <li>A commit is acknowledged only once applied at the leader and {@code TT.after(s)}.</li>
 *   <li>A replica's safe time is {@code t_safe = min(t_paxos_safe, min prepare_ts - 1)}, where
 *       {@code t_paxos_safe} is its applied {@code lastTs} or a timestamp it closed as leader;
 *       no write at or below it is applied later, and it serves no read above it.</li>
 *   <li>Range ids are {@code group_id * 2^32 + sequence}, allocated by the group itself.</li>
 * </ul>
 */
package io.meridian.groups;
