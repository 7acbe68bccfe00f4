/**
 * The deterministic transaction simulator and its history checkers.
 *
 * <p>{@link io.meridian.txn.sim.SimWorld} runs the unchanged protocol code
 * ({@code TxnParticipant}, {@code TxnDriver}, {@code RangeGroupReplica} over LMDB) on simulated
 * seams: one {@code SimScheduler} whose time is true time, a {@code SimClock} and a TrueTime of
 * ±ε per node, one deterministic {@code SimGroupLog} per group, and a {@link
 * io.meridian.txn.sim.SimNetwork} that loses, duplicates, delays and reorders messages and
 * partitions nodes. {@link io.meridian.txn.sim.SimFaults} crashes and restarts nodes and changes
 * leaders; the workloads ({@link io.meridian.txn.sim.BankClient},
 * {@link io.meridian.txn.sim.ListAppendClient}, {@link io.meridian.txn.sim.SnapshotClient}) record
 * a {@link io.meridian.txn.sim.History} in true time; {@link io.meridian.txn.sim.SimRun} runs one
 * seed and {@link io.meridian.txn.sim.HistoryChecks} judges it.
 *
 * <p>Invariants: a run is a pure function of its {@link io.meridian.txn.sim.SimConfig} (one seeded
 * {@code Random}, ordered collections wherever order matters, no threads, no real time except the
 * wall-clock figure in the summary); every check is shown able to fail by
 * {@code HistoryCheckersTest}, and the checks as a whole by a clock outside its ε in
 * {@code TxnSimulationTest}.
 */
package io.meridian.txn.sim;
