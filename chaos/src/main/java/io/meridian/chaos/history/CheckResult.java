package io.meridian.chaos.history;

import java.util.List;

/**
 * A checker's verdict on a history.
 *
 * @param checker   the checker's name ({@code bank}, {@code list-append}, {@code register}, ...)
 * @param valid     true when no anomaly was found; false when one was; a checker that ran out
 *     of budget says so in {@code anomalies} and is not valid
 * @param anomalies each anomaly found, one line each, naming it and the operations (by index) involved
 */
public record CheckResult(String checker, boolean valid, List<String> anomalies) {

    public CheckResult {
        anomalies = List.copyOf(anomalies);
    }

    /** A verdict with no anomaly. */
    public static CheckResult ok(String checker) {
        return new CheckResult(checker, true, List.of());
    }
}
