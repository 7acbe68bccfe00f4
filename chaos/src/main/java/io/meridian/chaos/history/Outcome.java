package io.meridian.chaos.history;

/** How an operation ended, as its client saw it (Jepsen's {@code :ok}, {@code :fail}, {@code :info}). */
public enum Outcome {
    /** It took effect, exactly once, somewhere between its invocation and its completion. */
    OK,
    /** It certainly took no effect (a definite abort or refusal). */
    FAIL,
    /**
     * Unknown: it may have taken effect once, at any time after its invocation (even after its
     * recorded completion), or not at all. An ambiguous commit, a timeout, a crash of the client's node.
     */
    INFO
}
