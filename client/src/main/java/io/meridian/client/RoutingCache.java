package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which node leads each key range, and where each node listens: the client's routing table,
 * loaded from {@code Admin.ListRanges} and {@code Admin.ListNodes}.
 *
 * <p>Lookups never wait: they answer from the current table (empty when the key's range or
 * its leader's address is unknown — the caller then uses any endpoint, since every node is a
 * gateway) and start a background reload when the table is older than {@link #MAX_AGE_NANOS}
 * (a failed reload is tried again after {@link #RELOAD_PAUSE_NANOS}) or was invalidated. A {@link LeaderHint} in an error updates the table at once; a wrong-range
 * answer invalidates it. One reload at a time. Thread-safe.
 */
final class RoutingCache {

    /** How old the table may grow before a lookup reloads it. */
    static final long MAX_AGE_NANOS = 30_000_000_000L;

    /** How long after a failed reload the next lookup tries again. */
    static final long RELOAD_PAUSE_NANOS = 1_000_000_000L;

    private final AdminCalls admin;
    private final Endpoints endpoints;
    private final RetryClock clock;
    private final AtomicReference<Table> table;
    private final AtomicReference<CompletableFuture<Void>> reload = new AtomicReference<>();

    RoutingCache(AdminCalls admin, Endpoints endpoints, RetryClock clock) {
        this.admin = admin;
        this.endpoints = endpoints;
        this.clock = clock;
        this.table = new AtomicReference<>(Table.EMPTY);
    }

    /** The address of the node leading the range of {@code key}, if known. */
    Optional<String> leaderAddress(ByteString key) {
        Table current = table.get();
        if (current.stale() || clock.nanoTime() - current.reloadDueNanos() >= 0) {
            refresh();
        }
        return current.leaderAddress(key);
    }

    /**
     * Reloads the table in the background unless a reload is running; the future completes
     * when the reload running (or started) finishes, normally even if it failed (the old table
     * stays and the next lookup tries again).
     */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> running = reload.compareAndExchange(null, started);
        if (running != null) {
            return running;
        }
        long startedAt = clock.nanoTime();
        admin.listRanges().thenCombine(admin.listNodes(),
                (ranges, nodes) -> Table.of(ranges, nodes, startedAt + MAX_AGE_NANOS))
                .whenComplete((loaded, error) -> {
                    if (loaded != null) {
                        table.set(loaded);
                        endpoints.discovered(List.copyOf(loaded.addresses().values()));
                    } else {
                        // Keep routing with the old table; a lookup after the pause tries again.
                        long due = clock.nanoTime() + RELOAD_PAUSE_NANOS;
                        table.updateAndGet(t -> t.reloadDueAt(due));
                    }
                    reload.set(null);
                    started.complete(null);
                });
        return started;
    }

    /** Learns from a failed call's details: a leader hint updates the table, a wrong range invalidates it. */
    void learn(ErrorDetails details) {
        details.leaderHint().ifPresent(hint -> table.updateAndGet(t -> t.withLeader(hint)));
        if (!details.ranges().isEmpty() || details.reason().equals("WRONG_RANGE")
                || (details.reason().equals("NOT_LEADER") && details.leaderHint().isEmpty())) {
            table.updateAndGet(Table::invalidated);
        }
    }

    /**
     * One immutable routing table.
     *
     * @param ranges        routes by range start, in unsigned key order
     * @param addresses     node id to client address
     * @param reloadDueNanos when a lookup should reload it
     * @param stale          true once invalidated: the next lookup reloads it
     */
    private record Table(NavigableMap<ByteString, Route> ranges, Map<String, String> addresses, long reloadDueNanos,
            boolean stale) {

        static final Table EMPTY = new Table(new TreeMap<>(ByteString.unsignedLexicographicalComparator()), Map.of(),
                0, true);

        static Table of(List<RangeInfo> ranges, List<Node> nodes, long reloadDueNanos) {
            NavigableMap<ByteString, Route> routes = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
            for (RangeInfo info : ranges) {
                RangeDescriptor range = info.getRange();
                routes.put(range.getSpan().getStart(), new Route(KeySpan.fromProto(range.getSpan()),
                        range.getGroupId(), range.getLeaderNodeId()));
            }
            Map<String, String> addresses = new HashMap<>();
            nodes.stream().filter(node -> !node.getAddress().isEmpty())
                    .forEach(node -> addresses.put(node.getNodeId(), node.getAddress()));
            return new Table(routes, Map.copyOf(addresses), reloadDueNanos, false);
        }

        Optional<String> leaderAddress(ByteString key) {
            Map.Entry<ByteString, Route> entry = ranges.floorEntry(key);
            if (entry == null || !entry.getValue().span().contains(key)) {
                return Optional.empty();
            }
            return Optional.ofNullable(addresses.get(entry.getValue().leaderNodeId()));
        }

        Table withLeader(LeaderHint hint) {
            if (hint.getLeaderNodeId().isEmpty()) {
                return invalidated();
            }
            NavigableMap<ByteString, Route> routes = new TreeMap<>(ranges);
            routes.replaceAll((start, route) -> route.groupId() == hint.getGroupId()
                    ? new Route(route.span(), route.groupId(), hint.getLeaderNodeId()) : route);
            Map<String, String> known = new HashMap<>(addresses);
            if (!hint.getLeaderAddress().isEmpty()) {
                known.put(hint.getLeaderNodeId(), hint.getLeaderAddress());
            }
            return new Table(routes, Map.copyOf(known), reloadDueNanos, stale);
        }

        Table invalidated() {
            return new Table(ranges, addresses, reloadDueNanos, true);
        }

        Table reloadDueAt(long nanos) {
            return new Table(ranges, addresses, nanos, false);
        }
    }

    /**
     * Where one range lives.
     *
     * @param span         the range's keys
     * @param groupId      its group
     * @param leaderNodeId the group's leader; empty when unknown
     */
    private record Route(KeySpan span, long groupId, String leaderNodeId) {
    }
}
