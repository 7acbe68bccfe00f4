package io.meridian.storage;

/** The order in which a scan returns keys. */
public enum ScanDirection {

    /** Ascending key order, from the span's start. */
    FORWARD,

    /** Descending key order, from just below the span's end. */
    REVERSE
}
