package io.meridian.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every endpoint the client may call — the configured ones, then the client addresses the
 * nodes advertise — and which of them recently refused connections. A refusing endpoint is
 * tried last for {@link #DOWN_NANOS}, not never: it may have come back. Thread-safe.
 */
final class Endpoints {

    /** How long an unreachable endpoint is tried only after the others. */
    static final long DOWN_NANOS = 5_000_000_000L;

    private final List<String> configured;
    private final RetryClock clock;
    private final Map<String, Long> downUntilNanos = new ConcurrentHashMap<>();
    private volatile List<String> discovered = List.of();

    Endpoints(List<String> configured, RetryClock clock) {
        this.configured = List.copyOf(configured);
        this.clock = clock;
    }

    /**
     * The endpoints in the order to try them: {@code preferred} first if given, then the
     * configured and discovered ones; reachable before recently unreachable.
     */
    List<String> candidates(Optional<String> preferred) {
        Set<String> ordered = new LinkedHashSet<>();
        preferred.ifPresent(ordered::add);
        ordered.addAll(configured);
        ordered.addAll(discovered);
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        long now = clock.nanoTime();
        for (String address : ordered) {
            Long until = downUntilNanos.get(address);
            (until != null && until - now > 0 ? down : up).add(address);
        }
        up.addAll(down);
        return up;
    }

    /** Sets the node addresses learnt from the cluster. */
    void discovered(List<String> addresses) {
        discovered = List.copyOf(addresses);
    }

    /** Notes that {@code address} refused or lost a connection. */
    void markDown(String address) {
        downUntilNanos.put(address, clock.nanoTime() + DOWN_NANOS);
    }

    /** Notes that {@code address} answered. */
    void markUp(String address) {
        downUntilNanos.remove(address);
    }
}
