package io.meridian.chaos.history;

import io.meridian.chaos.history.RegisterSearch.Kind;
import io.meridian.chaos.history.RegisterSearch.Step;
import io.meridian.chaos.history.RegisterSearch.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that every register key's operations are linearizable, each key on its own (a register
 * starts absent). OK operations took effect once between invocation and completion; FAIL ones
 * never; INFO ones at any time after their invocation, or never. An OK read observed the value at
 * its linearization point; an OK compare-and-set found its expected value there.
 *
 * <p>The search ({@link RegisterSearch}) is exhaustive up to a budget of distinct states per key;
 * a key whose search runs out is reported as unknown and makes the result not valid. For a key
 * that is not linearizable, the anomaly names a small window of its operations that already
 * cannot be linearized: the shortest failing prefix (the operations invoked by some time, those
 * still running then treated as pending), less the operations at its start that completed before
 * the rest began and can be dropped while the rest still fails with the register's value at the
 * window's start unknown (so the window fails whatever came before it). Values the window reads
 * that nothing wrote, or only FAIL operations wrote, are named after it.
 *
 * <p>Stateless and deterministic; safe to share between threads.
 */
public final class RegisterChecker implements Checker {

    /** This checker's name in {@link CheckResult#checker()}. */
    public static final String NAME = "register";
    /** The default budget of distinct search states per key. */
    public static final long DEFAULT_MAX_STATES = 5_000_000L;

    /** The most operations a report lists; a longer window shows its end. */
    private static final int REPORTED_OPS_MAX = 30;

    private final long maxStates;

    /** A checker with the default budget of {@value #DEFAULT_MAX_STATES} states per key. */
    public RegisterChecker() {
        this(DEFAULT_MAX_STATES);
    }

    /**
     * A checker that explores at most {@code maxStates} distinct states per key to decide it, and
     * as many again to narrow the window of a violation.
     *
     * @param maxStates the budget, at least 1
     */
    public RegisterChecker(long maxStates) {
        if (maxStates < 1) {
            throw new IllegalArgumentException("maxStates must be at least 1: " + maxStates);
        }
        this.maxStates = maxStates;
    }

    /**
     * Checks each register key of {@code history}; ignores operations of other workloads.
     * Keys are reported in their natural order, one anomaly per bad key.
     */
    @Override
    public CheckResult check(History history) {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history.operations()) {
            Optional<String> key = registerKey(op.action());
            key.ifPresent(k -> byKey.computeIfAbsent(k, unused -> new ArrayList<>()).add(op));
        }
        List<String> anomalies = new ArrayList<>();
        byKey.forEach((key, ops) -> checkKey(key, ops).ifPresent(anomalies::add));
        return new CheckResult(NAME, anomalies.isEmpty(), anomalies);
    }

    private static Optional<String> registerKey(Action action) {
        return switch (action) {
            case Action.RegisterRead read -> Optional.of(read.key());
            case Action.RegisterWrite write -> Optional.of(write.key());
            case Action.RegisterCas cas -> Optional.of(cas.key());
            default -> Optional.empty();
        };
    }

    /** The anomaly for one key, if any. {@code ops} are the key's operations in invocation order. */
    private Optional<String> checkKey(String key, List<Operation> ops) {
        List<Step> steps = prepare(ops);
        Verdict verdict = RegisterSearch.run(steps, RegisterSearch.ABSENT, maxStates);
        return switch (verdict) {
            case RegisterSearch.Linearizable unused -> Optional.empty();
            case RegisterSearch.Exhausted exhausted -> Optional.of("register " + key
                    + ": unknown, search budget exhausted after " + exhausted.statesExplored() + " states");
            case RegisterSearch.NotLinearizable unused -> Optional.of(describe(key, ops, minimalWindow(steps)));
        };
    }

    /**
     * The key's operations as search steps, in invocation order. FAIL operations took no effect
     * and INFO reads observed nothing, so neither constrains anything; INFO writes whose value
     * nothing observes are dropped too ({@link #withoutUnobservedOptional}).
     */
    private static List<Step> prepare(List<Operation> ops) {
        Map<Long, Integer> ids = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        for (Operation op : ops) {
            if (op.outcome() == Outcome.FAIL) {
                continue;
            }
            boolean required = op.outcome() == Outcome.OK;
            long completeNanos = required ? op.completeNanos() : Long.MAX_VALUE;
            switch (op.action()) {
                case Action.RegisterRead read when required -> {
                    int value = intern(ids, read.observed());
                    steps.add(new Step(op, completeNanos, true, Kind.READ, value, value));
                }
                case Action.RegisterWrite write ->
                        steps.add(new Step(op, completeNanos, required, Kind.WRITE, 0, intern(ids, write.value())));
                case Action.RegisterCas cas -> steps.add(new Step(op, completeNanos, required, Kind.CAS,
                        intern(ids, cas.expected()), intern(ids, cas.next())));
                default -> {
                }
            }
        }
        return withoutUnobservedOptional(steps);
    }

    private static int intern(Map<Long, Integer> ids, Long value) {
        if (value == null) {
            return RegisterSearch.ABSENT;
        }
        return ids.computeIfAbsent(value, unused -> ids.size() + 1);
    }

    /**
     * A failing window of {@code steps} (which fail as a whole).
     *
     * @param steps     the window's steps
     * @param minimized false if the budget ran out before the window could be narrowed further
     */
    private record Window(List<Step> steps, boolean minimized) {
    }

    /**
     * Narrows a failing key to a small failing window, in two steps. First the shortest failing
     * prefix: the operations invoked by some time T, those still running at T treated as pending
     * (they may take effect, or not; pending reads tell nothing). Cutting at a time, not at an
     * operation count, keeps a prefix from failing only because the write that explains a read
     * was invoked after it; it makes failure monotone in T, so T is found by binary search over
     * completion times. Then it cuts operations off the prefix's start while the rest still fails
     * from an unknown value, only at clean cuts: every OK operation cut off completed before the
     * rest began, so the unknown value stands for whatever they did and the window fails in any
     * context (cutting an operation concurrent with the rest could invent a failure). INFO
     * operations from before the cut stay if the window observes their value. All searches
     * share one budget.
     */
    private Window minimalWindow(List<Step> steps) {
        Budget budget = new Budget(maxStates);
        List<Step> prefix = shortestFailingPrefix(steps, budget);
        if (prefix == null) {
            return new Window(steps, false);
        }
        List<Step> window = prefix;
        long cutOffCompleteNanosMax = Long.MIN_VALUE;
        for (int cut = 1; cut < prefix.size(); cut++) {
            Step before = prefix.get(cut - 1);
            if (before.required()) {
                cutOffCompleteNanosMax = Math.max(cutOffCompleteNanosMax, before.completeNanos());
            }
            if (cutOffCompleteNanosMax >= prefix.get(cut).invokeNanos()) {
                continue; // not a clean cut: something cut off overlaps the rest
            }
            List<Step> candidate = new ArrayList<>();
            prefix.subList(0, cut).stream().filter(step -> !step.required()).forEach(candidate::add);
            candidate.addAll(prefix.subList(cut, prefix.size()));
            candidate = withoutUnobservedOptional(candidate);
            switch (budget.run(candidate, RegisterSearch.UNKNOWN)) {
                case RegisterSearch.NotLinearizable unused -> window = candidate;
                case RegisterSearch.Linearizable unused -> {
                    return new Window(window, true);
                }
                case RegisterSearch.Exhausted unused -> {
                    return new Window(window, false);
                }
            }
        }
        return new Window(window, true);
    }

    /** The shortest failing time-cut prefix of {@code steps} (which fail), or null if the budget ran out. */
    private static List<Step> shortestFailingPrefix(List<Step> steps, Budget budget) {
        long[] cutTimes = steps.stream().filter(Step::required).mapToLong(Step::completeNanos)
                .sorted().distinct().toArray();
        if (cutTimes.length == 0) {
            return steps;
        }
        // The cut at the last completion fails: it only lacks INFO operations, which could only help.
        int low = 0;
        int high = cutTimes.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            switch (budget.run(prefixAt(steps, cutTimes[middle]), RegisterSearch.ABSENT)) {
                case RegisterSearch.NotLinearizable unused -> high = middle;
                case RegisterSearch.Linearizable unused -> low = middle + 1;
                case RegisterSearch.Exhausted unused -> {
                    return null;
                }
            }
        }
        return prefixAt(steps, cutTimes[high]);
    }

    /** The steps invoked by {@code cutNanos}; those not complete by then become optional, reads among them dropped. */
    private static List<Step> prefixAt(List<Step> steps, long cutNanos) {
        List<Step> prefix = new ArrayList<>();
        for (Step step : steps) {
            if (step.invokeNanos() > cutNanos) {
                break;
            }
            if (!step.required() || step.completeNanos() <= cutNanos) {
                prefix.add(step);
            } else if (step.kind() != Kind.READ) {
                prefix.add(new Step(step.operation(), Long.MAX_VALUE, false, step.kind(), step.expected(), step.next()));
            }
        }
        return withoutUnobservedOptional(prefix);
    }

    /**
     * {@code steps} without the optional steps whose new value no step reads or expects: such a
     * step taking effect could only hide the value before it, so it never helps.
     */
    private static List<Step> withoutUnobservedOptional(List<Step> steps) {
        Set<Integer> observed = new HashSet<>();
        for (Step step : steps) {
            if (step.kind() != Kind.WRITE) {
                observed.add(step.expected());
            }
        }
        return steps.stream().filter(step -> step.required() || observed.contains(step.next())).toList();
    }

    /** What is left of a key's budget for narrowing its window; each search spends from it. */
    private static final class Budget {
        private long statesLeft;

        Budget(long statesLeft) {
            this.statesLeft = statesLeft;
        }

        Verdict run(List<Step> steps, int initialValue) {
            Verdict verdict = RegisterSearch.run(steps, initialValue, Math.max(1, statesLeft));
            statesLeft -= verdict.statesExplored();
            return verdict;
        }
    }

    /** The anomaly line: the window's operations, then hints about values nothing could have written. */
    private static String describe(String key, List<Operation> keyOps, Window window) {
        StringBuilder line = new StringBuilder("register ").append(key).append(": not linearizable: ");
        List<Step> shown = window.steps();
        if (shown.size() > REPORTED_OPS_MAX) {
            line.append("(").append(shown.size() - REPORTED_OPS_MAX).append(" earlier ops omitted) ");
            shown = shown.subList(shown.size() - REPORTED_OPS_MAX, shown.size());
        }
        StringJoiner ops = new StringJoiner(", ");
        shown.forEach(step -> ops.add(render(step.operation())));
        line.append(ops);
        for (String hint : unwrittenValueHints(keyOps, window.steps())) {
            line.append("; ").append(hint);
        }
        if (!window.minimized()) {
            line.append(" (window not minimized: search budget exhausted)");
        }
        return line.toString();
    }

    /**
     * For each value the window's steps observe or expect that no OK or INFO operation of the key
     * writes: says it was never written, or written only by FAIL operations (naming them).
     */
    private static List<String> unwrittenValueHints(List<Operation> keyOps, List<Step> window) {
        Map<Long, List<Long>> failedWriters = new TreeMap<>();
        Set<Long> written = new HashSet<>();
        for (Operation op : keyOps) {
            Long value = switch (op.action()) {
                case Action.RegisterWrite write -> write.value();
                case Action.RegisterCas cas -> cas.next();
                default -> null;
            };
            if (value != null && op.outcome() == Outcome.FAIL) {
                failedWriters.computeIfAbsent(value, unused -> new ArrayList<>()).add(op.index());
            } else if (value != null) {
                written.add(value);
            }
        }
        Set<Long> needed = new TreeSet<>();
        for (Step step : window) {
            switch (step.operation().action()) {
                case Action.RegisterRead read when read.observed() != null -> needed.add(read.observed());
                case Action.RegisterCas cas -> needed.add(cas.expected());
                default -> {
                }
            }
        }
        List<String> hints = new ArrayList<>();
        for (Long value : needed) {
            if (written.contains(value)) {
                continue;
            }
            List<Long> failed = failedWriters.get(value);
            if (failed == null) {
                hints.add(value + " never written");
            } else {
                StringJoiner names = new StringJoiner(", #", "#", "");
                failed.forEach(index -> names.add(Long.toString(index)));
                hints.add(value + " written only by failed " + names);
            }
        }
        return hints;
    }

    /** One operation, compactly: {@code #12 p3 cas 4->5 OK}, {@code #13 p1 read nil OK}. */
    private static String render(Operation op) {
        String action = switch (op.action()) {
            case Action.RegisterRead read -> "read " + (read.observed() == null ? "nil" : read.observed());
            case Action.RegisterWrite write -> "write " + write.value();
            case Action.RegisterCas cas -> "cas " + cas.expected() + "->" + cas.next();
            default -> op.action().getClass().getSimpleName();
        };
        return "#" + op.index() + " p" + op.process() + " " + action + " " + op.outcome();
    }
}
