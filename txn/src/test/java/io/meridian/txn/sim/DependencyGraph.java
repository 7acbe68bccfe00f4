package io.meridian.txn.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A directed graph of transactions with labelled edges ({@code ww}, {@code wr}, {@code rw},
 * {@code rt}) and a cycle finder. Real-time order is added in linear size: each transaction's end
 * is a time point, time points are chained in order, and a transaction starting after a time
 * point hangs off the last one before its start, so {@code A} reaches {@code B} through time
 * points exactly when {@code A} ended before {@code B} began.
 */
final class DependencyGraph {

    /** One edge, labelled with the dependency it stands for. */
    record Edge(int from, int to, String label) {
    }

    private final List<String> names = new ArrayList<>();
    private final List<Boolean> timePoint = new ArrayList<>();
    private final List<List<Edge>> out = new ArrayList<>();
    private final List<long[]> spans = new ArrayList<>();

    /** Adds a transaction that ran from {@code startMicros} to {@code endMicros} (MAX_VALUE: unknown end). */
    int addTransaction(String name, long startMicros, long endMicros) {
        return addNode(name, false, startMicros, endMicros);
    }

    private int addNode(String name, boolean time, long startMicros, long endMicros) {
        names.add(name);
        timePoint.add(time);
        out.add(new ArrayList<>());
        spans.add(new long[] {startMicros, endMicros});
        return names.size() - 1;
    }

    void addEdge(int from, int to, String label) {
        if (from != to) {
            out.get(from).add(new Edge(from, to, label));
        }
    }

    /** Adds the real-time order among the transactions added so far. */
    void addRealTimeOrder() {
        int transactions = names.size();
        TreeSet<Long> ends = new TreeSet<>();
        for (int node = 0; node < transactions; node++) {
            if (spans.get(node)[1] != Long.MAX_VALUE) {
                ends.add(spans.get(node)[1]);
            }
        }
        Map<Long, Integer> pointAt = new HashMap<>();
        int previous = -1;
        for (long time : ends) {
            int point = addNode("t=" + time, true, time, time);
            pointAt.put(time, point);
            if (previous >= 0) {
                addEdge(previous, point, "rt");
            }
            previous = point;
        }
        for (int node = 0; node < transactions; node++) {
            long[] span = spans.get(node);
            if (span[1] != Long.MAX_VALUE) {
                addEdge(node, pointAt.get(span[1]), "rt");
            }
            Long before = ends.lower(span[0]);
            if (before != null) {
                addEdge(pointAt.get(before), node, "rt");
            }
        }
    }

    /**
     * One cycle through each strongly connected component that has one, as text
     * ({@code A -ww-> B -rw-> A}), with its edge labels; time points are folded into {@code rt}.
     */
    List<Cycle> cycles() {
        List<Cycle> cycles = new ArrayList<>();
        for (List<Integer> component : stronglyConnected()) {
            if (component.size() < 2) {
                continue;
            }
            int start = component.stream().filter(n -> !timePoint.get(n)).findFirst().orElse(component.get(0));
            cycleThrough(start, component).ifPresent(cycles::add);
        }
        return cycles;
    }

    /** A cycle: its description and the labels of its edges (time points folded). */
    record Cycle(String text, List<String> labels) {
        /** What kind of anomaly the cycle is, Adya's names where they apply. */
        String kind() {
            long antiDependencies = labels.stream().filter("rw"::equals).count();
            if (labels.contains("rt")) {
                return "real-time cycle (not strictly serializable)";
            }
            if (antiDependencies == 1) {
                return "G-single (one anti-dependency)";
            }
            if (antiDependencies > 1) {
                return "G2 (anti-dependency cycle)";
            }
            return labels.contains("wr") ? "G1c (circular information flow)" : "G0 (write cycle)";
        }
    }

    private Optional<Cycle> cycleThrough(int start, List<Integer> component) {
        boolean[] inside = new boolean[names.size()];
        component.forEach(n -> inside[n] = true);
        Edge[] via = new Edge[names.size()];
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        boolean[] seen = new boolean[names.size()];
        seen[start] = true;
        Edge closing = null;
        while (!queue.isEmpty() && closing == null) {
            int node = queue.poll();
            for (Edge edge : out.get(node)) {
                if (!inside[edge.to()]) {
                    continue;
                }
                if (edge.to() == start) {
                    closing = edge;
                    break;
                }
                if (!seen[edge.to()]) {
                    seen[edge.to()] = true;
                    via[edge.to()] = edge;
                    queue.add(edge.to());
                }
            }
        }
        if (closing == null) {
            return Optional.empty();
        }
        List<Edge> path = new ArrayList<>();
        path.add(closing);
        for (int node = closing.from(); node != start; node = via[node].from()) {
            path.add(0, via[node]);
        }
        StringBuilder text = new StringBuilder(names.get(start));
        List<String> labels = new ArrayList<>();
        for (Edge edge : path) {
            if (timePoint.get(edge.to())) {
                continue;
            }
            String label = timePoint.get(edge.from()) ? "rt" : edge.label();
            labels.add(label);
            text.append(" -").append(label).append("-> ").append(names.get(edge.to()));
        }
        return Optional.of(new Cycle(text.toString(), labels));
    }

    /** Tarjan's algorithm, iterative (histories can be long). */
    private List<List<Integer>> stronglyConnected() {
        int size = names.size();
        int[] index = new int[size];
        int[] low = new int[size];
        boolean[] onStack = new boolean[size];
        Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> components = new ArrayList<>();
        int counter = 0;
        int[] edgeCursor = new int[size];
        for (int root = 0; root < size; root++) {
            if (index[root] >= 0) {
                continue;
            }
            Deque<Integer> work = new ArrayDeque<>();
            work.push(root);
            index[root] = low[root] = counter++;
            stack.push(root);
            onStack[root] = true;
            while (!work.isEmpty()) {
                int node = work.peek();
                if (edgeCursor[node] < out.get(node).size()) {
                    int next = out.get(node).get(edgeCursor[node]++).to();
                    if (index[next] < 0) {
                        index[next] = low[next] = counter++;
                        stack.push(next);
                        onStack[next] = true;
                        work.push(next);
                    } else if (onStack[next]) {
                        low[node] = Math.min(low[node], index[next]);
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    low[work.peek()] = Math.min(low[work.peek()], low[node]);
                }
                if (low[node] == index[node]) {
                    List<Integer> component = new ArrayList<>();
                    int member;
                    do {
                        member = stack.pop();
                        onStack[member] = false;
                        component.add(member);
                    } while (member != node);
                    components.add(component);
                }
            }
        }
        return components;
    }
}
