package io.meridian.chaos.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strict serializability of list-append histories, in the manner of Elle (Kingsbury and
 * Alvaro, VLDB 2020). Appended elements are unique per key, so every read names the
 * transactions whose appends it saw, and the longest read of a key gives that key's version
 * order. From it come the dependencies between committed transactions: {@code ww} (one append
 * follows another in a key's order), {@code wr} (a read ends with another's append) and
 * {@code rw} (a read did not see the append that came next), plus {@code realtime} (one
 * transaction completed before the other began). A cycle is an anomaly, named by its edges:
 * {@code G0} (ww only), {@code G1c} (ww and wr), {@code G-single} (one rw), {@code G2-item}
 * (more rw), each with {@code -realtime} when the cycle needs a real-time edge (serializable,
 * but not strictly). Found without cycles: {@code G1a} (a read saw an append of a failed
 * transaction), {@code G1b} (a read saw a transaction's intermediate state),
 * {@code incompatible-order} (two reads of a key disagree), {@code duplicate} (an element
 * twice in one read), {@code unknown-element} (nobody appended it), {@code internal} (a read
 * missing its own transaction's earlier appends).
 *
 * <p>{@code OK} transactions committed; {@code FAIL} ones did not; an {@code INFO} one counts
 * as committed exactly when some read saw one of its appends. Real-time edges leave only
 * {@code OK} transactions (an {@code INFO} one has no known end).
 */
public final class ListAppendChecker implements Checker {

    private static final int CYCLES_REPORTED_MAX = 20;

    private enum Edge { WW, WR, RW, REALTIME }

    @Override
    public CheckResult check(History history) {
        List<String> anomalies = new ArrayList<>();
        Map<Long, Operation> txns = new LinkedHashMap<>();
        for (Operation op : history.operations()) {
            if (op.action() instanceof Action.ListTxn) {
                txns.put(op.index(), op);
            }
        }
        Map<String, Map<Long, Long>> writers = writers(txns.values(), anomalies);
        Map<String, List<Long>> orders = versionOrders(txns.values(), writers, anomalies);
        Set<Long> committed = committed(txns.values(), orders, writers, anomalies);
        Map<Long, Map<Long, Edge>> graph = new HashMap<>();
        dependencies(txns, committed, orders, writers, graph, anomalies);
        Map<Long, Map<Long, Edge>> withRealtime = copy(graph);
        realtime(history, committed, withRealtime);
        List<String> cycles = new ArrayList<>();
        findCycles(graph, false, cycles, txns);
        findCycles(withRealtime, true, cycles, txns);
        if (cycles.size() > CYCLES_REPORTED_MAX) {
            int more = cycles.size() - CYCLES_REPORTED_MAX;
            cycles = new ArrayList<>(cycles.subList(0, CYCLES_REPORTED_MAX));
            cycles.add("(" + more + " more cycles not listed)");
        }
        anomalies.addAll(cycles);
        return new CheckResult("list-append", anomalies.isEmpty(), anomalies);
    }

    private static List<Action.MicroOp> microOps(Operation op) {
        return ((Action.ListTxn) op.action()).ops();
    }

    /** key → element → the index of the transaction that appended it. */
    private static Map<String, Map<Long, Long>> writers(Iterable<Operation> txns, List<String> anomalies) {
        Map<String, Map<Long, Long>> writers = new HashMap<>();
        for (Operation op : txns) {
            for (Action.MicroOp micro : microOps(op)) {
                if (micro instanceof Action.Append append) {
                    Long earlier = writers.computeIfAbsent(append.key(), k -> new HashMap<>())
                            .putIfAbsent(append.element(), op.index());
                    if (earlier != null) {
                        anomalies.add("duplicate-append: " + append.element() + " appended to " + append.key()
                                + " by " + earlier + " and " + op.index());
                    }
                }
            }
        }
        return writers;
    }

    /** Each key's order: its longest OK read; every other OK read must be a prefix of it. */
    private static Map<String, List<Long>> versionOrders(Iterable<Operation> txns, Map<String, Map<Long, Long>> writers,
            List<String> anomalies) {
        Map<String, List<Long>> longest = new TreeMap<>();
        Map<String, Long> longestReader = new HashMap<>();
        List<Object[]> reads = new ArrayList<>();
        for (Operation op : txns) {
            if (op.outcome() != Outcome.OK) {
                continue;
            }
            for (Action.MicroOp micro : microOps(op)) {
                if (micro instanceof Action.ReadList read && read.observed() != null) {
                    List<Long> seen = read.observed();
                    if (new HashSet<>(seen).size() != seen.size()) {
                        anomalies.add("duplicate: transaction " + op.index() + " read " + read.key() + " = " + seen);
                    }
                    for (long element : seen) {
                        if (!writers.getOrDefault(read.key(), Map.of()).containsKey(element)) {
                            anomalies.add("unknown-element: transaction " + op.index() + " read " + element + " in "
                                    + read.key() + " = " + seen + ", appended by nobody");
                        }
                    }
                    reads.add(new Object[] {op.index(), read});
                    if (!longest.containsKey(read.key()) || seen.size() > longest.get(read.key()).size()) {
                        longest.put(read.key(), seen);
                        longestReader.put(read.key(), op.index());
                    }
                }
            }
        }
        for (Object[] entry : reads) {
            Action.ReadList read = (Action.ReadList) entry[1];
            List<Long> order = longest.get(read.key());
            if (!order.subList(0, read.observed().size()).equals(read.observed())) {
                anomalies.add("incompatible-order: " + read.key() + " read as " + read.observed() + " by transaction "
                        + entry[0] + " and as " + order + " by transaction " + longestReader.get(read.key()));
            }
        }
        return longest;
    }

    /** OK transactions, and INFO ones whose appends were seen; G1a for seen appends of FAIL ones. */
    private static Set<Long> committed(Iterable<Operation> txns, Map<String, List<Long>> orders,
            Map<String, Map<Long, Long>> writers, List<String> anomalies) {
        Map<Long, Operation> byIndex = new HashMap<>();
        Set<Long> committed = new HashSet<>();
        for (Operation op : txns) {
            byIndex.put(op.index(), op);
            if (op.outcome() == Outcome.OK) {
                committed.add(op.index());
            }
        }
        orders.forEach((key, order) -> {
            for (long element : order) {
                Long writer = writers.getOrDefault(key, Map.of()).get(element);
                if (writer == null) {
                    continue;
                }
                switch (byIndex.get(writer).outcome()) {
                    case INFO -> committed.add(writer);
                    case FAIL -> anomalies.add("G1a: element " + element + " of " + key + " was read, but transaction "
                            + writer + " that appended it failed");
                    case OK -> { }
                }
            }
        });
        return committed;
    }

    private static void dependencies(Map<Long, Operation> txns, Set<Long> committed, Map<String, List<Long>> orders,
            Map<String, Map<Long, Long>> writers, Map<Long, Map<Long, Edge>> graph, List<String> anomalies) {
        orders.forEach((key, order) -> {
            Map<Long, Long> keyWriters = writers.getOrDefault(key, Map.of());
            for (int i = 0; i + 1 < order.size(); i++) {
                Long from = keyWriters.get(order.get(i));
                Long to = keyWriters.get(order.get(i + 1));
                if (from != null && to != null) { // an element nobody appended is reported already
                    addEdge(graph, from, to, Edge.WW);
                }
            }
        });
        for (long reader : committed) {
            Operation op = txns.get(reader);
            if (op.outcome() != Outcome.OK) {
                continue;
            }
            Map<String, List<Long>> own = new HashMap<>();
            for (Action.MicroOp micro : microOps(op)) {
                switch (micro) {
                    case Action.Append append -> own.computeIfAbsent(append.key(), k -> new ArrayList<>())
                            .add(append.element());
                    case Action.ReadList read -> readEdges(op, read, own.getOrDefault(read.key(), List.of()),
                            orders.get(read.key()), writers.getOrDefault(read.key(), Map.of()), txns, graph, anomalies);
                }
            }
        }
    }

    private static void readEdges(Operation op, Action.ReadList read, List<Long> ownAppends, List<Long> order,
            Map<Long, Long> writers, Map<Long, Operation> txns, Map<Long, Map<Long, Edge>> graph, List<String> anomalies) {
        List<Long> seen = read.observed();
        if (seen == null) {
            return;
        }
        if (seen.size() < ownAppends.size() || !seen.subList(seen.size() - ownAppends.size(), seen.size()).equals(ownAppends)) {
            anomalies.add("internal: transaction " + op.index() + " read " + read.key() + " = " + seen
                    + " after appending " + ownAppends);
            return;
        }
        List<Long> external = seen.subList(0, seen.size() - ownAppends.size());
        if (!external.isEmpty()) {
            long last = external.getLast();
            Long writer = writers.get(last);
            if (writer != null && writer != op.index()) {
                addEdge(graph, writer, op.index(), Edge.WR);
                List<Long> writerAppends = microOps(txns.get(writer)).stream()
                        .filter(m -> m instanceof Action.Append a && a.key().equals(read.key()))
                        .map(m -> ((Action.Append) m).element()).toList();
                if (!writerAppends.getLast().equals(last)) {
                    anomalies.add("G1b: transaction " + op.index() + " read " + read.key() + " = " + seen
                            + ", an intermediate state of transaction " + writer + " (it appended " + writerAppends + ")");
                }
            }
        }
        if (order != null && external.size() < order.size()) {
            Long next = writers.get(order.get(external.size()));
            if (next != null && next != op.index()) {
                addEdge(graph, op.index(), next, Edge.RW);
            }
        }
    }

    /**
     * Real-time edges, transitively reduced: when a transaction begins, an edge from each OK
     * transaction on the "frontier" (completed before it began and not followed by another such).
     */
    private static void realtime(History history, Set<Long> committed, Map<Long, Map<Long, Edge>> graph) {
        List<long[]> events = new ArrayList<>(); // {time, kind (0 = complete, 1 = invoke), index}
        for (Operation op : history.operations()) {
            if (op.action() instanceof Action.ListTxn && committed.contains(op.index())) {
                events.add(new long[] {op.invokeNanos(), 1, op.index()});
                if (op.outcome() == Outcome.OK) {
                    events.add(new long[] {op.completeNanos(), 0, op.index()});
                }
            }
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> -e[1]));
        Map<Long, Long> invokedAt = new HashMap<>();
        Map<Long, Long> frontier = new HashMap<>(); // index → completion time
        for (long[] event : events) {
            if (event[1] == 1) {
                invokedAt.put(event[2], event[0]);
                for (long before : frontier.keySet()) {
                    addEdge(graph, before, event[2], Edge.REALTIME);
                }
            } else {
                long invoked = invokedAt.get(event[2]);
                frontier.values().removeIf(completed -> completed < invoked);
                frontier.put(event[2], event[0]);
            }
        }
    }

    private static void addEdge(Map<Long, Map<Long, Edge>> graph, long from, long to, Edge edge) {
        if (from == to) {
            return;
        }
        // A dependency edge is more telling than a real-time one between the same pair.
        graph.computeIfAbsent(from, k -> new HashMap<>()).merge(to, edge, (a, b) -> a == Edge.REALTIME ? b : a);
    }

    private static Map<Long, Map<Long, Edge>> copy(Map<Long, Map<Long, Edge>> graph) {
        Map<Long, Map<Long, Edge>> copy = new HashMap<>();
        graph.forEach((from, edges) -> copy.put(from, new HashMap<>(edges)));
        return copy;
    }

    /** One shortest cycle per strongly connected component (through a real-time edge if {@code throughRealtime}). */
    private static void findCycles(Map<Long, Map<Long, Edge>> graph, boolean throughRealtime, List<String> cycles,
            Map<Long, Operation> txns) {
        for (Set<Long> component : Components.strong(graph)) {
            List<Long> cycle = null;
            for (long from : new java.util.TreeSet<>(component)) {
                for (Map.Entry<Long, Edge> edge : new TreeMap<>(graph.getOrDefault(from, Map.of())).entrySet()) {
                    if (!component.contains(edge.getKey()) || (throughRealtime && edge.getValue() != Edge.REALTIME)) {
                        continue;
                    }
                    // A path back from the edge's head to its tail closes a cycle through the edge.
                    List<Long> path = shortestPath(graph, component, edge.getKey(), from);
                    if (path != null && (cycle == null || path.size() < cycle.size())) {
                        cycle = path;
                    }
                }
                if (!throughRealtime && cycle != null) {
                    break;
                }
            }
            if (cycle != null) {
                cycles.add(describe(graph, cycle, txns));
            }
        }
    }

    /** The shortest path from {@code start} to {@code goal} inside {@code component}, both ends included. */
    private static List<Long> shortestPath(Map<Long, Map<Long, Edge>> graph, Set<Long> component, long start, long goal) {
        Map<Long, Long> parent = new HashMap<>();
        ArrayDeque<Long> queue = new ArrayDeque<>(List.of(start));
        parent.put(start, start);
        while (!queue.isEmpty()) {
            long node = queue.poll();
            if (node == goal) {
                List<Long> path = new ArrayList<>();
                for (long at = goal; ; at = parent.get(at)) {
                    path.addFirst(at);
                    if (at == start) {
                        return path;
                    }
                }
            }
            for (long next : new java.util.TreeSet<>(graph.getOrDefault(node, Map.of()).keySet())) {
                if (component.contains(next) && parent.putIfAbsent(next, node) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
    }

    /** Names a cycle (its nodes in order; the last one leads back to the first) by its edges and prints it. */
    private static String describe(Map<Long, Map<Long, Edge>> graph, List<Long> cycle, Map<Long, Operation> txns) {
        int rw = 0;
        int wr = 0;
        boolean realtime = false;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++) {
            long from = cycle.get(i);
            long to = cycle.get((i + 1) % cycle.size());
            Edge edge = graph.get(from).get(to);
            switch (edge) {
                case RW -> rw++;
                case WR -> wr++;
                case REALTIME -> realtime = true;
                case WW -> { }
            }
            text.append(from).append(' ').append(microOps(txns.get(from))).append(" -").append(edge.name().toLowerCase())
                    .append("-> ");
        }
        text.append(cycle.getFirst());
        String name = rw >= 2 ? "G2-item" : rw == 1 ? "G-single" : wr > 0 ? "G1c" : "G0";
        return name + (realtime ? "-realtime" : "") + ": " + text;
    }
}
