package io.meridian.chaos.run;

/**
 * Injects faults into a running cluster while a workload runs. Started once, stopped once;
 * {@link #stop} heals whatever the nemesis broke (restarts killed nodes, ...).
 */
public interface Nemesis extends AutoCloseable {

    /** Starts injecting faults on the nemesis' own thread. */
    void start();

    /** What it is doing now, for the progress line, e.g. {@code n2 killed}. */
    String current();

    /** Stops injecting faults and heals the cluster; waits until it has. */
    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }

    /** No faults at all. */
    static Nemesis none() {
        return new Nemesis() {
            @Override
            public void start() {
            }

            @Override
            public String current() {
                return "no fault";
            }

            @Override
            public void stop() {
            }
        };
    }
}
