package io.meridian.bench.load;

import io.meridian.bench.cluster.BenchCluster;

/**
 * The load generator's keys: record {@code i} lives under the prefix {@code gNN/} with
 * {@code NN = i mod groups}, so the records spread evenly over as many ranges as there are
 * groups when each prefix is a range of its own; within a prefix, keys sort by record number.
 */
final class Keys {

    /** Prefixes have two digits. */
    static final int GROUPS_MAX = 99;

    private Keys() {
    }

    /** The prefix of group {@code g}: {@code g07/}, as {@link BenchCluster#spreadOverGroups} splits the keyspace. */
    static String prefix(int g) {
        return BenchCluster.groupPrefix(g);
    }

    /** The first key after every key with {@code prefix} ({@code g07/} gives {@code g070}). */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    /** The group of record {@code i}. */
    static int group(long i, int groups) {
        return (int) (i % groups);
    }

    /** A YCSB record's key. */
    static String record(long i, int groups) {
        return prefix(group(i, groups)) + String.format("user%010d", i);
    }

    /** A bank account's key. */
    static String account(long i, int groups) {
        return prefix(group(i, groups)) + String.format("acct%08d", i);
    }
}
