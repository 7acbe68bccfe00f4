package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.RwAttempt;
import io.meridian.txn.sim.History.SnapshotRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The list-append workload checked Elle-style, from values alone (no timestamps, no stores).
 * Each list key holds a comma-separated list; transactions read a list and write it back with
 * unique elements appended, so every element names the attempt that appended it and every read
 * reveals a prefix of the key's version order.
 * <ul>
 *   <li>Every list observed for a key (committed reads and writes, strong snapshot reads) is a prefix of
 *       the longest one, which is the key's version order; no list repeats an element; every
 *       element was appended by a known attempt, not an aborted one (G1a), and a read never
 *       stops between two elements one attempt appended together (G1b).</li>
 *   <li>The dependency graph over committed read-write transactions (acknowledged, or ambiguous
 *       with an observed element) and strong snapshot reads (not repeats, which read an old
 *       timestamp on purpose), with write-write, write-read and
 *       read-write edges from the version orders plus real-time order, has no cycle.</li>
 * </ul>
 */
final class ListAppendCheck implements HistoryCheck {

    static final String NAME = "list-append dependency graph";

    @Override
    public String name() {
        return NAME;
    }

    /** One transaction's dealings with the lists: what it read and what it appended, by key. */
    private static final class Txn {
        final String name;
        final Map<String, List<Long>> reads = new TreeMap<>();
        final Map<String, List<Long>> appends = new TreeMap<>();
        long startMicros;
        long endMicros;
        int node = -1;

        Txn(String name) {
            this.name = name;
        }
    }

    @Override
    public List<Violation> check(Observations observations) {
        Set<String> listKeys = new HashSet<>(observations.listKeys());
        List<Violation> found = new ArrayList<>();
        if (listKeys.isEmpty()) {
            return found;
        }
        Map<Long, RwAttempt> owner = new HashMap<>();
        Map<String, Txn> txns = new LinkedHashMap<>();
        for (RwAttempt attempt : observations.history().attempts()) {
            Txn txn = fromAttempt(attempt, listKeys, found);
            txns.put(attempt.tag(), txn);
            txn.appends.values().forEach(elements -> elements.forEach(e -> {
                RwAttempt earlier = owner.put(e, attempt);
                if (earlier != null) {
                    found.add(new Violation(NAME, "element " + e + " was appended by both " + earlier.tag() + " and "
                            + attempt.tag()));
                }
            }));
        }
        List<Txn> graphTxns = snapshotTxns(observations, listKeys);
        for (RwAttempt attempt : observations.history().attempts()) {
            if (attempt.outcome() instanceof Outcome.Committed) {
                graphTxns.add(txns.get(attempt.tag()));
            }
        }
        // Observations of each key's order: committed reads and written lists, snapshot reads.
        Map<String, List<List<Long>>> seen = new TreeMap<>();
        Set<Long> observedElements = new HashSet<>();
        for (Txn txn : graphTxns) {
            txn.reads.forEach((key, list) -> {
                seen.computeIfAbsent(key, k -> new ArrayList<>()).add(list);
                observedElements.addAll(list);
            });
            txn.appends.forEach((key, appended) -> seen.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(concat(txn.reads.getOrDefault(key, List.of()), appended)));
        }
        // An ambiguous attempt joins the graph once one of its elements is seen: it committed, end unknown.
        for (RwAttempt attempt : observations.history().attempts()) {
            Txn txn = txns.get(attempt.tag());
            if (attempt.outcome() instanceof Outcome.Ambiguous
                    && txn.appends.values().stream().flatMap(List::stream).anyMatch(observedElements::contains)) {
                txn.endMicros = Long.MAX_VALUE;
                graphTxns.add(txn);
            }
        }
        Map<String, List<Long>> order = versionOrders(seen, found);
        elementsAccountedFor(order, seen, owner, txns, found);
        for (DependencyGraph.Cycle cycle : graphOf(graphTxns, order).cycles()) {
            found.add(new Violation(NAME, cycle.kind() + ": " + cycle.text()));
        }
        return Reports.capped(NAME, found);
    }

    /** The strong snapshots that read lists, as read-only transactions (repeats left out). */
    private static List<Txn> snapshotTxns(Observations observations, Set<String> listKeys) {
        List<Txn> txns = new ArrayList<>();
        for (SnapshotRead snapshot : observations.history().snapshots()) {
            if (snapshot.repeatOf().isPresent()) {
                // A repeat reads at an old timestamp on purpose: not a strong read, no real-time place.
                continue;
            }
            Txn txn = new Txn(snapshot.id());
            txn.startMicros = snapshot.startMicros();
            txn.endMicros = snapshot.endMicros();
            for (KeyRead read : snapshot.reads()) {
                if (listKeys.contains(read.key())) {
                    txn.reads.put(read.key(), listOf(read));
                }
            }
            if (!txn.reads.isEmpty()) {
                txns.add(txn);
            }
        }
        return txns;
    }

    /** The dependency graph of {@code graphTxns} under the version orders, with real-time order. */
    private static DependencyGraph graphOf(List<Txn> graphTxns, Map<String, List<Long>> order) {
        DependencyGraph graph = new DependencyGraph();
        Map<Long, Txn> appender = new HashMap<>();
        for (Txn txn : graphTxns) {
            txn.node = graph.addTransaction(txn.name, txn.startMicros, txn.endMicros);
            txn.appends.values().forEach(elements -> elements.forEach(e -> appender.put(e, txn)));
        }
        addDependencies(graph, graphTxns, order, appender);
        graph.addRealTimeOrder();
        return graph;
    }

    private static Txn fromAttempt(RwAttempt attempt, Set<String> listKeys, List<Violation> found) {
        Txn txn = new Txn(attempt.tag());
        txn.startMicros = attempt.startMicros();
        txn.endMicros = attempt.endMicros();
        for (KeyRead read : attempt.reads()) {
            if (listKeys.contains(read.key())) {
                txn.reads.put(read.key(), listOf(read));
            }
        }
        for (Write write : attempt.writes()) {
            if (!listKeys.contains(write.key())) {
                continue;
            }
            List<Long> written = parse(TaggedValue.payloadOf(write.value()));
            List<Long> before = txn.reads.getOrDefault(write.key(), List.of());
            if (written.size() < before.size() || !written.subList(0, before.size()).equals(before)) {
                found.add(new Violation(NAME, attempt.tag() + " read " + write.key() + " = " + before + " but wrote "
                        + written + ", which does not extend it"));
                continue;
            }
            txn.appends.put(write.key(), List.copyOf(written.subList(before.size(), written.size())));
        }
        return txn;
    }

    /** Each key's longest observed list, after checking every observation is a prefix of it. */
    private static Map<String, List<Long>> versionOrders(Map<String, List<List<Long>>> seen, List<Violation> found) {
        Map<String, List<Long>> order = new TreeMap<>();
        seen.forEach((key, lists) -> {
            List<Long> longest = lists.stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElse(List.of());
            for (List<Long> list : lists) {
                if (!longest.subList(0, list.size()).equals(list)) {
                    found.add(new Violation(NAME, key + " was seen as " + list + " and as " + longest
                            + ": incompatible orders (a lost or reordered append)"));
                }
                if (new HashSet<>(list).size() != list.size()) {
                    found.add(new Violation(NAME, key + " was seen as " + list + ", which repeats an element"));
                }
            }
            order.put(key, longest);
        });
        return order;
    }

    private static void elementsAccountedFor(Map<String, List<Long>> order, Map<String, List<List<Long>>> seen,
            Map<Long, RwAttempt> owner, Map<String, Txn> txns, List<Violation> found) {
        order.forEach((key, elements) -> {
            for (long element : elements) {
                RwAttempt attempt = owner.get(element);
                if (attempt == null) {
                    found.add(new Violation(NAME, key + " holds element " + element + " that nobody appended"));
                } else if (attempt.outcome() instanceof Outcome.Aborted || attempt.outcome() instanceof Outcome.Abandoned) {
                    found.add(new Violation(NAME, "G1a (aborted read): " + key + " holds element " + element + " of "
                            + Reports.describe(attempt)));
                }
            }
        });
        seen.forEach((key, lists) -> {
            for (List<Long> list : lists) {
                if (list.isEmpty()) {
                    continue;
                }
                RwAttempt attempt = owner.get(list.get(list.size() - 1));
                if (attempt == null) {
                    continue;
                }
                List<Long> appended = txns.get(attempt.tag()).appends.getOrDefault(key, List.of());
                if (!appended.isEmpty() && appended.get(appended.size() - 1) != list.get(list.size() - 1).longValue()) {
                    found.add(new Violation(NAME, "G1b (intermediate read): " + key + " was seen as " + list
                            + ", stopping inside the appends " + appended + " of " + attempt.tag()));
                }
            }
        });
    }

    private static void addDependencies(DependencyGraph graph, List<Txn> graphTxns, Map<String, List<Long>> order,
            Map<Long, Txn> appender) {
        order.forEach((key, elements) -> {
            for (int i = 1; i < elements.size(); i++) {
                Txn before = appender.get(elements.get(i - 1));
                Txn after = appender.get(elements.get(i));
                if (before != null && after != null) {
                    graph.addEdge(before.node, after.node, "ww");
                }
            }
        });
        for (Txn reader : graphTxns) {
            reader.reads.forEach((key, list) -> {
                List<Long> elements = order.getOrDefault(key, List.of());
                if (!list.isEmpty()) {
                    Optional.ofNullable(appender.get(list.get(list.size() - 1)))
                            .ifPresent(writer -> graph.addEdge(writer.node, reader.node, "wr"));
                }
                if (list.size() < elements.size()) {
                    Optional.ofNullable(appender.get(elements.get(list.size())))
                            .ifPresent(writer -> graph.addEdge(reader.node, writer.node, "rw"));
                }
            });
        }
    }

    private static List<Long> listOf(KeyRead read) {
        return read.observed().map(o -> parse(TaggedValue.payloadOf(o.value()))).orElse(List.of());
    }

    /** Parses {@code "1,5,9"}; the empty string is the empty list. */
    static List<Long> parse(String payload) {
        if (payload.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(payload.split(",")).map(Long::parseLong).toList();
    }

    /** Formats a list as the workload stores it. */
    static String format(List<Long> elements) {
        return String.join(",", elements.stream().map(String::valueOf).toList());
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
