package io.meridian.client;

/**
 * How a {@link Scan} reads its span. Immutable; start from {@link #defaults()} and change what
 * you need with the {@code with…} methods.
 *
 * @param limit    the most rows the scan returns; 0 for no limit
 * @param reverse  true to return rows in descending key order
 * @param pageSize how many rows one request fetches, 1 to {@link #PAGE_SIZE_MAX}
 */
public record ScanOptions(long limit, boolean reverse, int pageSize) {

    /** The largest page one request can return (the server's per-request row limit). */
    public static final int PAGE_SIZE_MAX = 1_000;

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the limit is negative or the page size is outside
     *     {@code [1, PAGE_SIZE_MAX]}
     */
    public ScanOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("scan limit must be 0 (no limit) or positive: " + limit);
        }
        if (pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            throw new IllegalArgumentException("scan page size must be in [1, " + PAGE_SIZE_MAX + "]: " + pageSize);
        }
    }

    /** No limit, ascending, pages of {@link #PAGE_SIZE_MAX} rows. */
    public static ScanOptions defaults() {
        return new ScanOptions(0, false, PAGE_SIZE_MAX);
    }

    /** These options with at most {@code limit} rows (0: no limit). */
    public ScanOptions withLimit(long limit) {
        return new ScanOptions(limit, reverse, pageSize);
    }

    /** These options in descending ({@code true}) or ascending key order. */
    public ScanOptions withReverse(boolean reverse) {
        return new ScanOptions(limit, reverse, pageSize);
    }

    /** These options fetching {@code pageSize} rows per request. */
    public ScanOptions withPageSize(int pageSize) {
        return new ScanOptions(limit, reverse, pageSize);
    }
}
