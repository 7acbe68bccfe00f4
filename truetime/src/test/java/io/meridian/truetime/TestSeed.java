package io.meridian.truetime;

import java.util.Random;

/**
 * The seed of a randomized test: {@code -Dtruetime.seed=N} replays a run; otherwise a fresh seed
 * is drawn and printed so a failure can be replayed.
 *
 * @param value the seed
 */
record TestSeed(long value) {

    /** The seed for {@code testName}, printed to the test's output. */
    static TestSeed of(String testName) {
        long value = Long.getLong("truetime.seed", System.nanoTime());
        System.out.println(testName + " seed " + value + " (replay with -Dtruetime.seed=" + value + ")");
        return new TestSeed(value);
    }

    /** A generator seeded with {@link #value()}. */
    Random random() {
        return new Random(value);
    }
}
