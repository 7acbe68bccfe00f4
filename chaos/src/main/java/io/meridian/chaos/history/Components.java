package io.meridian.chaos.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Strongly connected components of a directed graph (Tarjan's algorithm, iterative, deterministic order). */
final class Components {

    private Components() {
    }

    /** The components with more than one node, of a graph given as node → successors (→ anything). */
    static List<Set<Long>> strong(Map<Long, ? extends Map<Long, ?>> graph) {
        Map<Long, Integer> index = new HashMap<>();
        Map<Long, Integer> low = new HashMap<>();
        Deque<Long> stack = new ArrayDeque<>();
        Set<Long> onStack = new HashSet<>();
        List<Set<Long>> components = new ArrayList<>();
        int[] counter = {0};
        for (long root : new TreeSet<>(graph.keySet())) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<Long, Iterator<Long>>> work = new ArrayDeque<>();
            visit(root, graph, index, low, stack, onStack, counter, work);
            while (!work.isEmpty()) {
                Map.Entry<Long, Iterator<Long>> frame = work.peek();
                long node = frame.getKey();
                if (frame.getValue().hasNext()) {
                    long next = frame.getValue().next();
                    if (!index.containsKey(next)) {
                        visit(next, graph, index, low, stack, onStack, counter, work);
                    } else if (onStack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    long parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(node)));
                }
                if (low.get(node).equals(index.get(node))) {
                    Set<Long> component = new HashSet<>();
                    long member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (member != node);
                    if (component.size() > 1) {
                        components.add(component);
                    }
                }
            }
        }
        return components;
    }

    private static void visit(long node, Map<Long, ? extends Map<Long, ?>> graph, Map<Long, Integer> index,
            Map<Long, Integer> low, Deque<Long> stack, Set<Long> onStack, int[] counter,
            Deque<Map.Entry<Long, Iterator<Long>>> work) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        Map<Long, ?> successors = graph.get(node);
        Set<Long> next = successors == null ? Set.of() : successors.keySet();
        work.push(Map.entry(node, new TreeSet<>(next).iterator()));
    }
}
