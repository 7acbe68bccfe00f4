package io.meridian.chaos.run;

import java.util.List;
import java.util.stream.Collectors;

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
        return all(List.of());
    }

    /** Several nemeses at once, each on its own schedule; stopping stops (and heals) every one. */
    static Nemesis all(List<Nemesis> nemeses) {
        List<Nemesis> all = List.copyOf(nemeses);
        return new Nemesis() {
            @Override
            public void start() {
                all.forEach(Nemesis::start);
            }

            @Override
            public String current() {
                return all.isEmpty() ? "no fault"
                        : all.stream().map(Nemesis::current).collect(Collectors.joining("; "));
            }

            @Override
            public void stop() throws Exception {
                Exception failure = null;
                for (Nemesis nemesis : all) {
                    try {
                        nemesis.stop();
                    } catch (Exception e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        };
    }
}
