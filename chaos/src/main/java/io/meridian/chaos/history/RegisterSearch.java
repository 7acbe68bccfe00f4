package io.meridian.chaos.history;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Depth-first search for a linearization of one register's operations (Wing and Gong's
 * algorithm with Lowe's memoization): at each state it picks an operation that may take effect
 * next, applies it to the register, and backtracks when no operation can; a state (the set of
 * operations already linearized, the register's value) seen before is not explored again.
 *
 * <p>Values are small integers interned by the caller: {@link #ABSENT} for a key never written,
 * {@link #UNKNOWN} for a register whose value is not known yet (the start of a window cut out of a
 * longer history), which the first read or compare-and-set that observes it fixes.
 *
 * <p>Single-threaded; one instance per search; deterministic (candidates are tried in invocation order).
 */
final class RegisterSearch {

    /** The value of a key never written. */
    static final int ABSENT = 0;
    /** A value not known yet: any value at all. */
    static final int UNKNOWN = -1;
    /** Marks a step that cannot take effect in the current state. */
    private static final int REJECTED = -2;

    /** What a step does to the register. */
    enum Kind {
        /** Observes {@code expected}; leaves it. */
        READ,
        /** Sets {@code next}, whatever the value was. */
        WRITE,
        /** Requires {@code expected}; sets {@code next}. */
        CAS
    }

    /**
     * One operation prepared for the search.
     *
     * @param operation     the operation, for reports
     * @param completeNanos the latest time it may take effect ({@link Long#MAX_VALUE} for INFO)
     * @param required      true if it must take effect (OK); false if it may or may not (INFO)
     * @param kind          what it does
     * @param expected      the value a read observed or a compare-and-set required (unused for writes)
     * @param next          the value after it takes effect
     */
    record Step(Operation operation, long completeNanos, boolean required, Kind kind, int expected, int next) {

        long invokeNanos() {
            return operation.invokeNanos();
        }
    }

    /** How a search ended. */
    sealed interface Verdict {
        /** How many distinct states the search visited. */
        long statesExplored();
    }

    /** Some order of the steps respects real time and the register's semantics. */
    record Linearizable(long statesExplored) implements Verdict {
    }

    /** No order does: the search explored every reachable state. */
    record NotLinearizable(long statesExplored) implements Verdict {
    }

    /** The search stopped at its state budget without an answer. */
    record Exhausted(long statesExplored) implements Verdict {
    }

    /** A state in the memo: the linearized set as its first unlinearized step plus the set above it. */
    private record MemoKey(int firstOpen, BitSet above, int value) {
    }

    /** A level of the explicit depth-first stack. */
    private static final class Frame {
        final int value;
        final int[] candidates;
        final int appliedStep;
        int cursor;

        Frame(int value, int[] candidates, int appliedStep) {
            this.value = value;
            this.candidates = candidates;
            this.appliedStep = appliedStep;
        }
    }

    private final Step[] steps;
    private final long maxStates;
    private final BitSet linearized = new BitSet();
    private final Set<MemoKey> seen = new HashSet<>();
    private int requiredLeft;
    private long explored;

    private RegisterSearch(List<Step> steps, long maxStates) {
        this.steps = steps.toArray(Step[]::new);
        this.maxStates = maxStates;
        for (Step step : this.steps) {
            if (step.required()) {
                requiredLeft++;
            }
        }
    }

    /**
     * Searches for a linearization of {@code steps}.
     *
     * @param steps        the steps, sorted by invocation time (then index)
     * @param initialValue the register's value before the first step ({@link #ABSENT}, {@link #UNKNOWN} or an interned value)
     * @param maxStates    the most distinct states to visit before giving up (at least 1)
     * @return the verdict, with the number of states visited
     */
    static Verdict run(List<Step> steps, int initialValue, long maxStates) {
        return new RegisterSearch(steps, maxStates).search(initialValue);
    }

    private Verdict search(int initialValue) {
        Deque<Frame> stack = new ArrayDeque<>();
        seen.add(memoKey(initialValue));
        explored = 1;
        stack.push(new Frame(initialValue, candidates(), -1));
        while (!stack.isEmpty()) {
            if (requiredLeft == 0) {
                // INFO steps still open simply never took effect.
                return new Linearizable(explored);
            }
            Frame frame = stack.peek();
            if (frame.cursor == frame.candidates.length) {
                stack.pop();
                undo(frame.appliedStep);
                continue;
            }
            int index = frame.candidates[frame.cursor++];
            int next = apply(steps[index], frame.value);
            if (next == REJECTED) {
                continue;
            }
            linearized.set(index);
            MemoKey key = memoKey(next);
            if (seen.contains(key)) {
                linearized.clear(index);
                continue;
            }
            if (explored >= maxStates) {
                return new Exhausted(explored);
            }
            seen.add(key);
            explored++;
            if (steps[index].required()) {
                requiredLeft--;
            }
            stack.push(new Frame(next, candidates(), index));
        }
        return new NotLinearizable(explored);
    }

    private void undo(int appliedStep) {
        if (appliedStep < 0) {
            return;
        }
        linearized.clear(appliedStep);
        if (steps[appliedStep].required()) {
            requiredLeft++;
        }
    }

    private MemoKey memoKey(int value) {
        int firstOpen = linearized.nextClearBit(0);
        int end = Math.max(firstOpen, steps.length);
        return new MemoKey(firstOpen, linearized.get(firstOpen, end), value);
    }

    /** The register's value after {@code step} takes effect on {@code value}, or {@link #REJECTED}. */
    private static int apply(Step step, int value) {
        return switch (step.kind()) {
            case READ, CAS -> value == UNKNOWN || value == step.expected() ? step.next() : REJECTED;
            case WRITE -> step.next();
        };
    }

    /**
     * The open steps that may take effect next: those invoked no later than the earliest
     * completion of an open required step (a step that completed before another was invoked
     * must come first). Steps are sorted by invocation, so the scan stops at the first step
     * invoked after that bound: later ones cannot lower it.
     */
    private int[] candidates() {
        int n = steps.length;
        int start = linearized.nextClearBit(0);
        long minCompleteNanos = Long.MAX_VALUE;
        int end = n;
        for (int i = start; i < n; i = linearized.nextClearBit(i + 1)) {
            Step step = steps[i];
            if (step.invokeNanos() > minCompleteNanos) {
                end = i;
                break;
            }
            if (step.required()) {
                minCompleteNanos = Math.min(minCompleteNanos, step.completeNanos());
            }
        }
        int[] found = new int[Math.max(0, end - start)];
        int count = 0;
        for (int i = start; i < end; i = linearized.nextClearBit(i + 1)) {
            if (steps[i].invokeNanos() <= minCompleteNanos) {
                found[count++] = i;
            }
        }
        return Arrays.copyOf(found, count);
    }
}
