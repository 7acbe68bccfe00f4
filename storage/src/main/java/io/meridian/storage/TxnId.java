package io.meridian.storage;

/**
 * Identifies a read-write transaction: 128 bits, compared as an unsigned number
 * ({@code high} first).
 *
 * @param high the upper 64 bits
 * @param low the lower 64 bits
 */
public record TxnId(long high, long low) implements Comparable<TxnId> {

    @Override
    public int compareTo(TxnId other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return String.format("txn-%016x%016x", high, low);
    }
}
