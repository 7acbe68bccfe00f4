package io.meridian.chaos.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes a fresh cluster for a workload through the Admin service: splits the keyspace at the
 * given keys and spreads the resulting ranges over {@code groups} Raft groups (the existing
 * data group and new ones on the given nodes), so that transactions cross ranges and groups.
 */
public final class ClusterShape {

    private ClusterShape() {
    }

    /**
     * @param adminAddress any node's client address, {@code host:port}
     * @param splitKeys    keys to split at, ascending
     * @param groups       how many groups to spread the ranges over, at least 1 (group 1 included)
     * @param replicaNodes the nodes that host each new group's replicas
     * @return the ids of the groups used, group 1 first
     */
    public static List<Long> spread(String adminAddress, List<String> splitKeys, int groups, List<String> replicaNodes) {
        try (ClusterAdmin admin = new ClusterAdmin(adminAddress, Duration.ofMinutes(2))) {
            List<Long> groupIds = new ArrayList<>(List.of(1L));
            for (int g = 1; g < groups; g++) {
                groupIds.add(admin.createGroup(replicaNodes));
            }
            for (String key : splitKeys) {
                admin.split(key);
            }
            for (int i = 0; i < splitKeys.size(); i++) {
                long target = groupIds.get((i + 1) % groupIds.size());
                if (target != 1) {
                    admin.move(admin.rangeStartingAt(splitKeys.get(i)), target);
                }
            }
            return List.copyOf(groupIds);
        }
    }
}
