package io.meridian.chaos.run;

import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.RangeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Changes the range layout under load every {@code interval}: splits a range at a random key
 * of {@code splitCandidates}, or moves a random range to another group (freeze, copy, hand
 * over). Requests in flight on the range must be answered correctly or retried; nothing to
 * heal. A split at an existing boundary or a move the cluster refuses is not a fault made.
 */
public final class RangeNemesis extends PeriodicNemesis {

    /** The meta group, whose ranges stay where they are. */
    private static final long META_GROUP = 0;

    private final String adminAddress;
    private final List<String> splitCandidates;

    /**
     * @param adminAddress    a node's client address
     * @param splitCandidates keys to split at, e.g. the workload's keys
     * @param random          chooses what to split or move
     * @param interval        time between changes
     */
    public RangeNemesis(String adminAddress, List<String> splitCandidates, Random random, Duration interval) {
        super("ranges", random, interval, interval.dividedBy(2));
        if (splitCandidates.isEmpty()) {
            throw new IllegalArgumentException("no keys to split at");
        }
        this.adminAddress = adminAddress;
        this.splitCandidates = List.copyOf(splitCandidates);
    }

    @Override
    protected Fault inject() {
        try (ClusterAdmin admin = new ClusterAdmin(adminAddress, Duration.ofSeconds(30))) {
            boolean splitFirst = random.nextBoolean();
            List<String> refusals = new ArrayList<>();
            // One kind of change may be refused (a boundary already there): then try the other.
            for (boolean split : List.of(splitFirst, !splitFirst)) {
                try {
                    return split ? split(admin) : move(admin);
                } catch (StatusRuntimeException refused) {
                    refusals.add((split ? "split: " : "move: ") + refused.getStatus());
                }
            }
            return Fault.notMade("range change refused: " + refusals);
        }
    }

    private Fault split(ClusterAdmin admin) {
        String key = splitCandidates.get(random.nextInt(splitCandidates.size()));
        admin.split(key);
        return Fault.made("split at " + key);
    }

    private Fault move(ClusterAdmin admin) {
        List<RangeInfo> ranges = admin.ranges().stream()
                .filter(info -> info.getRange().getGroupId() != META_GROUP).toList();
        List<GroupInfo> groups = admin.groups().stream().filter(g -> g.getGroupId() != META_GROUP).toList();
        if (ranges.isEmpty() || groups.size() < 2) {
            return Fault.notMade("nothing to move");
        }
        RangeInfo range = ranges.get(random.nextInt(ranges.size()));
        List<GroupInfo> targets = groups.stream().filter(g -> g.getGroupId() != range.getRange().getGroupId()).toList();
        GroupInfo target = targets.get(random.nextInt(targets.size()));
        admin.move(range.getRange().getRangeId(), target.getGroupId());
        return Fault.made("range " + range.getRange().getRangeId() + " moved to group " + target.getGroupId());
    }

    @Override
    protected void heal() {
    }
}
