package io.meridian.storage;

/**
 * Identifies one Raft group. One store holds many groups; each has its own applied index,
 * metadata and prepared-transaction records, while user data is one shared keyspace because
 * the ranges of different groups never overlap.
 *
 * @param value the group's number, unique within the cluster
 */
public record GroupId(long value) {

    @Override
    public String toString() {
        return "group-" + value;
    }
}
