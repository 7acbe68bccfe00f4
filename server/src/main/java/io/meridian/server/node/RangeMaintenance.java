package io.meridian.server.node;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupSplitRequest;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.groups.GroupReplica;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.NodeLink;
import io.meridian.server.routing.RoutingTable;
import io.meridian.server.service.MetaProposals;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What each data-group leader on this node does in the background:
 * <ul>
 *   <li>every {@link #RECONCILE_INTERVAL}, records its ranges in the meta directory when the
 *       directory lacks them or holds older generations (so a split anywhere reaches the
 *       directory even if the splitter's own update was lost);</li>
 *   <li>every {@link #SPLIT_CHECK_INTERVAL}, splits a range whose live data exceeds
 *       {@code --range-split-bytes} at its middle key, when the group's approximate size says it
 *       may.</li>
 * </ul>
 * Work runs on the background executor, one round at a time, rescheduled after each round.
 */
final class RangeMaintenance implements AutoCloseable {

    /** How often leaders reconcile the directory. */
    static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(2);

    /** How often leaders check their groups' sizes. */
    static final Duration SPLIT_CHECK_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(RangeMaintenance.class.getName());
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final NodeEnvironment env;
    private final ReplicaRegistry replicas;
    private final MetaCache meta;
    private final MetaProposals proposals;
    private final NodeLink local;
    private final Map<Long, Long> bytesAtLastSplitCheck = new HashMap<>();
    private volatile boolean closed;
    private long rounds;

    RangeMaintenance(NodeEnvironment env, ReplicaRegistry replicas, MetaCache meta, MetaProposals proposals,
            NodeLink local) {
        this.env = env;
        this.replicas = replicas;
        this.meta = meta;
        this.proposals = proposals;
        this.local = local;
    }

    /** Starts the rounds. */
    void start() {
        schedule(env.scheduler());
    }

    private void schedule(Scheduler scheduler) {
        if (!closed) {
            scheduler.schedule(() -> env.background().execute(this::round), RECONCILE_INTERVAL);
        }
    }

    private void round() {
        try {
            reconcile();
            if (++rounds % (SPLIT_CHECK_INTERVAL.toMillis() / RECONCILE_INTERVAL.toMillis()) == 0) {
                autoSplit();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "range maintenance round failed; next round retries", e);
        } finally {
            schedule(env.scheduler());
        }
    }

    private List<GroupReplica> ledDataGroups() {
        return replicas.all().stream().filter(r -> !r.isMeta() && r.log().isLeader()).toList();
    }

    /** Records in the directory the ranges of led groups that it lacks or holds older versions of. */
    void reconcile() {
        RoutingTable table = meta.table();
        if (!table.isKnown()) {
            return;
        }
        Map<Long, DirectoryEntry> byId = new HashMap<>();
        table.directory().forEach(e -> byId.put(e.getRangeId(), e));
        List<DirectoryEntry> stale = new ArrayList<>();
        for (GroupReplica replica : ledDataGroups()) {
            for (RangeState range : replica.ranges()) {
                DirectoryEntry ours = ProtoConversions.directoryEntry(range, replica.group().value());
                DirectoryEntry theirs = byId.get(range.getRangeId());
                if (theirs == null || theirs.getGeneration() < ours.getGeneration()
                        || (theirs.getGeneration() == ours.getGeneration() && !theirs.equals(ours))) {
                    stale.add(ours);
                }
            }
        }
        if (!stale.isEmpty()) {
            proposals.directoryUpdate(stale, deadline());
            LOG.fine(() -> "recorded " + stale.size() + " range(s) in the directory");
        }
    }

    private void autoSplit() {
        long threshold = env.config().rangeSplitBytes();
        for (GroupReplica replica : ledDataGroups()) {
            long bytes = replica.approximateBytes();
            long last = bytesAtLastSplitCheck.getOrDefault(replica.group().value(), 0L);
            // Measuring scans the ranges: only when the group is over the threshold and grew since.
            if (bytes <= threshold || bytes < last + threshold / 4) {
                continue;
            }
            bytesAtLastSplitCheck.put(replica.group().value(), bytes);
            Timestamp readTs = replica.safeTs();
            if (readTs.equals(Timestamp.MIN)) {
                continue;
            }
            Optional<ByteString> splitKey = SplitPoints.find(env.store(), replica.ranges(), readTs, threshold);
            if (splitKey.isPresent()) {
                local.groupSplit(GroupSplitRequest.newBuilder().setGroupId(replica.group().value())
                        .setSplitKey(splitKey.get()).build(), deadline());
                bytesAtLastSplitCheck.put(replica.group().value(), 0L);
                LOG.info(() -> "split a range of " + replica.group() + " above " + threshold + " bytes");
                reconcile();
            }
        }
    }

    private static Deadline deadline() {
        return Deadline.after(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
    }
}
