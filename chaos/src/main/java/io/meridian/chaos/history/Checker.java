package io.meridian.chaos.history;

/** Checks one property of a history. Implementations are stateless and deterministic. */
public interface Checker {

    /** Checks {@code history}; ignores operations of actions it does not know. */
    CheckResult check(History history);
}
