package io.meridian.storage.lmdb;

import io.meridian.truetime.Timestamp;

/**
 * One version of a key as the {@code versions} table records it: its timestamp and whether it
 * is a tombstone. A put's value lives in the {@code values} table under key and timestamp.
 *
 * @param ts the commit timestamp
 * @param tombstone true for a delete, false for a put
 */
record VersionEntry(Timestamp ts, boolean tombstone) {
}
