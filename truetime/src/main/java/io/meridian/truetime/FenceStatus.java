package io.meridian.truetime;

/**
 * Whether a node may use its clock, as judged by an {@link EpsilonFence}: exactly one of
 * {@link Serving} or {@link Fenced}. Consume with an exhaustive {@code switch}.
 */
public sealed interface FenceStatus permits FenceStatus.Serving, FenceStatus.Fenced {

    /** The interval the judgement was made on. */
    TTInterval now();

    /**
     * ε is within the bound: the node may assign timestamps and serve strong reads.
     *
     * @param now the interval, usable as the node's current TrueTime reading
     */
    record Serving(TTInterval now) implements FenceStatus {
    }

    /**
     * ε exceeds the bound: the node must not assign timestamps or serve strong reads, and
     * reports itself unhealthy, until ε falls back within the bound.
     *
     * @param now              the too-wide interval
     * @param maxEpsilonMicros the bound it exceeded
     */
    record Fenced(TTInterval now, long maxEpsilonMicros) implements FenceStatus {

        /** The ε that exceeded the bound. */
        public long epsilonMicros() {
            return now.epsilonMicros();
        }
    }
}
