package io.meridian.chaos.history;

import java.util.Comparator;
import java.util.List;

/**
 * A whole history: every operation the clients ran, ordered by invocation time.
 *
 * @param operations the operations, sorted by {@link Operation#invokeNanos()} (then index)
 */
public record History(List<Operation> operations) {

    public History {
        operations = operations.stream()
                .sorted(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::index))
                .toList();
    }

    /** The operations whose outcome is {@code outcome}. */
    public List<Operation> withOutcome(Outcome outcome) {
        return operations.stream().filter(op -> op.outcome() == outcome).toList();
    }
}
