package io.meridian.txn.sim;

/**
 * One broken property found by a check.
 *
 * @param check the check's name (for example {@code "1 external consistency"})
 * @param message what was seen, with the transactions and timestamps involved
 */
record Violation(String check, String message) {

    @Override
    public String toString() {
        return "[" + check + "] " + message;
    }
}
