package io.meridian.txn.sim;

import java.time.Duration;

/**
 * What one simulated run is: its seed, whether every clock stays inside its ε, and how long the
 * workloads run. Everything else (nodes, groups, placement, clocks, fault rates, clients) is
 * drawn from the seed.
 *
 * @param seed the seed of the run's one {@link java.util.Random}
 * @param clocks {@link ClockMode#HONEST}, or one clock outside its ε
 * @param workload how long clients start new transactions (true time)
 * @param faults whether faults are injected during the workload
 */
record SimConfig(long seed, ClockMode clocks, Duration workload, boolean faults) {

    /** How the nodes' clocks err. */
    enum ClockMode {
        /** Every clock's error (skew, drift, wander) stays inside its node's ε for the whole run. */
        HONEST,
        /**
         * The first node's clock runs several ε behind true time while its TrueTime still claims
         * ±ε: what TrueTime's bound exists to prevent. External consistency must fail.
         */
        ONE_CLOCK_OUTSIDE_EPSILON
    }

    /** The default run: honest clocks, three seconds of workload with faults. */
    static SimConfig standard(long seed) {
        return new SimConfig(seed, ClockMode.HONEST, Duration.ofSeconds(3), true);
    }

    SimConfig withClocks(ClockMode mode) {
        return new SimConfig(seed, mode, workload, faults);
    }
}
