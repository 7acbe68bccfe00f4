/**
 * Deterministic simulated time for tests and for the simulators of later modules.
 *
 * <p>{@link io.meridian.truetime.sim.SimScheduler} owns the simulation's true time and one event
 * queue ordered by (time, submission sequence); time moves only when the simulation runs tasks.
 * {@link io.meridian.truetime.sim.SimClock} is one node's clock over that true time, with an
 * error model (fixed skew, step jumps, linear drift, sinusoidal drift) that may deliberately
 * break the bounds TrueTime sources assume, so checkers can show what the bounds prevent.
 * {@link io.meridian.truetime.sim.SimTimeMasterClient} is a simulated time master with a round
 * trip, which can lie or fall silent.
 *
 * <p>Invariants: no real time, no threads, no global randomness; the same calls in the same order
 * give the same results. The classes are single-threaded: use them from the simulation's thread.
 */
package io.meridian.truetime.sim;
