package io.meridian.storage.lmdb;

/**
 * Keeps the LMDB environment open while anything uses it. Every operation and every open span
 * snapshot holds a pass; {@link #closeAndAwait()} refuses new passes and waits for the held
 * ones, because closing the environment under a live transaction would crash the process.
 */
final class StoreGate {

    private int passes;
    private boolean closed;

    /**
     * Takes a pass.
     *
     * @throws IllegalStateException when the store is closed
     */
    synchronized void enter() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        passes++;
    }

    /** Returns a pass taken by {@link #enter()}. */
    synchronized void exit() {
        if (passes <= 0) {
            throw new IllegalStateException("store gate exited more often than entered");
        }
        passes--;
        if (passes == 0) {
            notifyAll();
        }
    }

    /**
     * Closes the gate and waits until every pass is returned.
     *
     * @return false when it was already closed
     */
    synchronized boolean closeAndAwait() {
        if (closed) {
            return false;
        }
        closed = true;
        boolean interrupted = false;
        while (passes > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
