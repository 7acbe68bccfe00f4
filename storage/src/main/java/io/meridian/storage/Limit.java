package io.meridian.storage;

/**
 * Every size limit the storage layer enforces, and the only place their numbers live.
 *
 * <p>A hard limit is checked with {@link #check(long)}, which throws
 * {@link LimitExceededException} naming the limit, its maximum and the actual size; the
 * operation that broke it writes nothing. {@link #SCAN_PAGE_BYTES} is the one soft bound: it
 * ends a scan page early (with a resume key) and never fails.
 */
public enum Limit {

    /**
     * Bytes in one user key. LMDB keys are at most 511 bytes and the value table's key is the
     * user key followed by an 8-byte timestamp, so 480 leaves room.
     */
    KEY_BYTES("key", "bytes", 480),

    /** Bytes in one value (a put's value or a metadata value). */
    VALUE_BYTES("value", "bytes", 1 << 20),

    /** Mutations in one write batch, the mutations inside its prepared records included. */
    BATCH_MUTATIONS("batch", "mutations", 10_000),

    /**
     * Bytes in one write batch: keys and values of its mutations, of the mutations inside its
     * prepared records, and metadata names and values.
     */
    BATCH_BYTES("batch", "bytes", 32 << 20),

    /** Bytes in one metadata name, encoded as UTF-8. */
    METADATA_NAME_BYTES("metadata name", "bytes", 200),

    /** Rows one scan may ask for. */
    SCAN_ROWS("scan limit", "rows", 10_000),

    /**
     * Soft bound on the key and value bytes of one scan page: once a page holds this much it
     * ends, and the caller resumes from the resume key. Never an error.
     */
    SCAN_PAGE_BYTES("scan page", "bytes", 32 << 20);

    private final String subject;
    private final String unit;
    private final long max;

    Limit(String subject, String unit, long max) {
        this.subject = subject;
        this.unit = unit;
        this.max = max;
    }

    /** The largest allowed size, in {@link #unit()}. */
    public long max() {
        return max;
    }

    /** What the limit counts: "bytes", "mutations" or "rows". */
    public String unit() {
        return unit;
    }

    /**
     * Throws {@link LimitExceededException} when {@code actual} is above {@link #max()}.
     *
     * @param actual the size of the thing being checked, in {@link #unit()}
     */
    public void check(long actual) {
        if (actual > max) {
            throw new LimitExceededException(this, actual);
        }
    }

    /** The sentence a {@link LimitExceededException} carries for {@code actual}. */
    String describe(long actual) {
        return name() + " limit exceeded: " + subject + " is " + actual + " " + unit
                + ", at most " + max + " allowed";
    }
}
