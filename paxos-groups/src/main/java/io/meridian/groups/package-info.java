/**
 * Groups: Apache Ratis (Raft) groups that host key ranges (multi-raft: one {@code RaftServer}
 * per node, one division per group replica), the group state machine over {@code MvccStore},
 * leader leases on TrueTime, range split/merge/move, the meta group and the placement driver.
 *
 * <p>Empty until the "Replicated ranges" issue. Ratis types will appear only in
 * {@code io.meridian.groups.ratis}; the rest of the package is plain protocol code driven
 * through the {@code Clock}, {@code Scheduler} and replicated-log seams.
 */
package io.meridian.groups;
