package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Operation;
import io.meridian.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Records the operations of a run: each client takes an {@link Invocation} when it starts an
 * operation and completes it with the outcome. Thread-safe; indexes follow invocation order.
 */
public final class Recorder {

    /** An operation under way: its index and invocation time. */
    public record Invocation(long index, int process, long invokeNanos) {
    }

    private final LongSupplier nanoTime;
    private final AtomicLong nextIndex = new AtomicLong();
    private final List<Operation> completed = new ArrayList<>();

    /** @param nanoTime the monotonic clock of the whole run, e.g. {@code System::nanoTime} */
    public Recorder(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Starts an operation of client {@code process} now. */
    public Invocation invoke(int process) {
        synchronized (nextIndex) {
            return new Invocation(nextIndex.getAndIncrement(), process, nanoTime.getAsLong());
        }
    }

    /** Ends {@code invocation} now with {@code outcome}; {@code action} carries what it observed. */
    public Operation complete(Invocation invocation, Outcome outcome, Action action) {
        Operation operation = new Operation(invocation.index(), invocation.process(), invocation.invokeNanos(),
                nanoTime.getAsLong(), outcome, action);
        synchronized (completed) {
            completed.add(operation);
        }
        return operation;
    }

    /** Everything completed so far. */
    public History history() {
        synchronized (completed) {
            return new History(List.copyOf(completed));
        }
    }
}
