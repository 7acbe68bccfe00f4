package io.meridian.server.node;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.AcceptRange;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CopyVersionsRequest;
import io.meridian.api.internal.v1.CopyVersionsResponse;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.FreezeRange;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.IngestVersions;
import io.meridian.api.internal.v1.ProposeGroupCommandRequest;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.ReleaseRange;
import io.meridian.api.internal.v1.StoredVersion;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.UnfreezeRange;
import io.meridian.groups.CommandRejectedException;
import io.meridian.server.status.CallKind;
import io.meridian.server.routing.Backoff;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.RoutingTable;
import io.meridian.server.service.MetaProposals;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.wire.ProtoConversions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves a range to another group (Spanner's movedir), run by the node that receives
 * {@code Admin.MoveRange}:
 * <ol>
 *   <li><b>copy</b>: every stored version of the range up to {@code t0}, the source leader's
 *       safe time, paged from the source leader ({@code CopyVersions}) and proposed to the target
 *       in bounded {@code IngestVersions} batches (the target holds the range as incoming, not
 *       served);</li>
 *   <li><b>catch-up</b>: the versions in {@code (t0, t1]}, {@code t1} a later safe time;</li>
 *   <li><b>hand-off</b>: {@code FreezeRange} at the source gives {@code frozen_at} (writes to the
 *       range now get {@code RANGE_FROZEN}, which gateways retry); the versions in
 *       {@code (t1, frozen_at]}; {@code AcceptRange} at the target (generation + 1, last
 *       timestamp raised to {@code frozen_at}); the directory entry moves to the target; and
 *       {@code ReleaseRange} at the source.</li>
 * </ol>
 * A failure before {@code AcceptRange} unfreezes the range (best effort) and propagates: the
 * range stays in the source. Every command used is idempotent, so calls are retried freely
 * ({@link CallKind#READ}). Not safe to run two moves of one range at once.
 *
 * <p>Thread-safe; each call runs on the caller's (virtual) thread and blocks until done.
 */
public final class RangeMover {

    /** The most versions one {@code IngestVersions} carries. */
    static final int INGEST_VERSIONS_MAX = 1_000;

    /** The most key and value bytes one {@code IngestVersions} carries (one oversized version excepted). */
    static final long INGEST_BYTES_MAX = 4L << 20;

    private static final Logger LOG = Logger.getLogger(RangeMover.class.getName());
    /** How long a move waits for this node's directory to learn a group created elsewhere. */
    private static final Duration DIRECTORY_CATCH_UP = Duration.ofSeconds(3);
    private static final Duration DIRECTORY_POLL = Duration.ofMillis(20);
    private static final Duration SAFE_TIME_WAIT = Duration.ofSeconds(10);

    private final MetaCache meta;
    private final GroupCaller caller;
    private final MetaProposals proposals;

    /**
     * @param meta the routing tables
     * @param caller reaches group leaders
     * @param proposals meta proposals through this node
     */
    public RangeMover(MetaCache meta, GroupCaller caller, MetaProposals proposals) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.proposals = Objects.requireNonNull(proposals, "proposals");
    }

    /**
     * Moves range {@code rangeId} to group {@code targetGroupId}.
     *
     * @return the range's new directory entry
     * @throws RequestFailedException ({@code MOVE_REFUSED}) for an unknown range or group, or
     *     when the target already holds the range; other failures as the calls report them
     */
    public DirectoryEntry move(long rangeId, long targetGroupId, Deadline deadline) {
        RoutingTable table = tableKnowing(targetGroupId, deadline);
        DirectoryEntry entry = table.directory().stream().filter(e -> e.getRangeId() == rangeId).findFirst()
                .orElseThrow(() -> refused("range " + rangeId + " does not exist"));
        if (table.group(targetGroupId).isEmpty()) {
            throw refused("group " + targetGroupId + " does not exist");
        }
        if (entry.getGroupId() == targetGroupId) {
            throw refused("group " + targetGroupId + " already serves range " + rangeId);
        }
        long source = entry.getGroupId();
        CopyVersionsResponse first = copy(source, targetGroupId, rangeId, null, 0, 0, deadline);
        RangeState range = first.getRange();
        long t0 = first.getSafeTsMicros();
        CopyVersionsResponse catchUp = copy(source, targetGroupId, rangeId, range, t0, 0, deadline);
        long t1 = catchUp.getSafeTsMicros();
        long frozenAt;
        RangeState moved = range.toBuilder().setGeneration(range.getGeneration() + 1).clearFrozen()
                .clearFrozenAtMicros().clearIncoming().build();
        try {
            frozenAt = freeze(source, rangeId, deadline);
            copy(source, targetGroupId, rangeId, range, t1, frozenAt, deadline);
            propose(targetGroupId, GroupCommand.newBuilder().setAcceptRange(AcceptRange.newBuilder()
                    .setRange(moved).setFrozenAtMicros(frozenAt)).build(), deadline);
        } catch (RuntimeException e) {
            unfreeze(source, rangeId);
            throw e;
        }
        DirectoryEntry next = ProtoConversions.directoryEntry(moved, targetGroupId);
        try {
            proposals.directoryUpdate(List.of(next), deadline);
        } catch (RuntimeException e) {
            // The target's leader records its ranges in the directory every few seconds anyway.
            LOG.log(Level.INFO, "recording the move of range " + rangeId + " failed; reconciliation will", e);
        }
        meta.refresh();
        propose(source, GroupCommand.newBuilder().setReleaseRange(ReleaseRange.newBuilder().setRangeId(rangeId))
                .build(), deadline);
        LOG.info(() -> "moved range " + rangeId + " from group " + source + " to group " + targetGroupId
                + " (frozen at " + frozenAt + "us)");
        return next;
    }

    /**
     * The directory, waited for (a little, within the deadline) until it knows
     * {@code targetGroupId}: this node's meta replica may not yet have applied a group that a
     * caller created a moment ago through another replica of the meta group.
     */
    private RoutingTable tableKnowing(long targetGroupId, Deadline deadline) {
        RoutingTable table = meta.refresh();
        long until = System.nanoTime() + DIRECTORY_CATCH_UP.toNanos();
        while (table.group(targetGroupId).isEmpty() && System.nanoTime() < until && !deadline.isExpired()) {
            try {
                Thread.sleep(DIRECTORY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            table = meta.refresh();
        }
        return table;
    }

    /**
     * Copies the range's versions in {@code (after, upTo]} ({@code upTo} 0: the source leader's
     * safe time when the first page is read) from the source leader to the target.
     *
     * @param range the range as the source holds it, or null to learn it from the first page
     * @return the last page's response, carrying the window's end and the range
     */
    private CopyVersionsResponse copy(long source, long target, long rangeId, RangeState range, long after,
            long upTo, Deadline deadline) {
        CopyVersionsRequest.Builder request = CopyVersionsRequest.newBuilder().setGroupId(source).setRangeId(rangeId)
                .setAfterMicros(after).setUpToMicros(upTo).setLimit(INGEST_VERSIONS_MAX)
                .setMaxWaitMicros(TimeUnit.MICROSECONDS.convert(SAFE_TIME_WAIT));
        while (true) {
            CopyVersionsRequest page = request.build();
            CopyVersionsResponse response = caller.atLeader(source, CallKind.READ, deadline,
                    (link, d) -> link.copyVersions(page, d));
            if (!response.hasRange()) {
                throw new RequestFailedException(ErrorReason.UNAVAILABLE, "group " + source
                        + " no longer serves range " + rangeId);
            }
            RangeState incoming = range != null ? range : response.getRange();
            ingest(target, incoming, response.getVersionsList(), deadline);
            // Later pages use the same window end the first one fixed.
            request.setUpToMicros(response.getSafeTsMicros());
            if (!response.getHasResumeAfterKey()) {
                return response;
            }
            request.setResumeAfterKey(response.getResumeAfterKey()).setHasResumeAfterKey(true);
            range = incoming;
        }
    }

    /** Proposes {@code versions} at the target in batches of bounded count and size. */
    private void ingest(long target, RangeState range, List<StoredVersion> versions, Deadline deadline) {
        RangeState incoming = range.toBuilder().clearFrozen().clearFrozenAtMicros().build();
        List<StoredVersion> batch = new ArrayList<>();
        long bytes = 0;
        for (StoredVersion version : versions) {
            long size = ProtoConversions.sizeBytes(version);
            if (!batch.isEmpty() && (batch.size() >= INGEST_VERSIONS_MAX || bytes + size > INGEST_BYTES_MAX)) {
                proposeIngest(target, incoming, batch, deadline);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(version);
            bytes += size;
        }
        // An empty batch still registers the incoming range, so AcceptRange finds it.
        proposeIngest(target, incoming, batch, deadline);
    }

    private void proposeIngest(long target, RangeState range, List<StoredVersion> batch, Deadline deadline) {
        propose(target, GroupCommand.newBuilder().setIngestVersions(IngestVersions.newBuilder().setRange(range)
                .addAllVersions(batch)).build(), deadline);
    }

    private CommandReply.Applied propose(long groupId, GroupCommand command, Deadline deadline) {
        ProposeGroupCommandRequest request = ProposeGroupCommandRequest.newBuilder().setGroupId(groupId)
                .setCommand(command).build();
        CommandReply reply = caller.atLeader(groupId, CallKind.READ, deadline,
                (link, d) -> link.proposeGroupCommand(request, d));
        return switch (reply.getKindCase()) {
            case APPLIED -> reply.getApplied();
            case REJECTED -> throw new CommandRejectedException(reply.getRejected().getReason(),
                    "group " + groupId + " refused " + command.getKindCase() + ": " + reply.getRejected().getMessage(),
                    reply.getRejected().getRangesList());
            case KIND_NOT_SET -> throw new RequestFailedException(ErrorReason.UNAVAILABLE, "group " + groupId
                    + " gave no reply to " + command.getKindCase());
        };
    }

    /**
     * Freezes the range at the source, retrying while transactions prepared there hold writes in
     * it ({@code LOCK_CONFLICT}: they resolve within their commit deadline).
     */
    private long freeze(long source, long rangeId, Deadline deadline) {
        Backoff backoff = new Backoff();
        while (true) {
            try {
                return propose(source, GroupCommand.newBuilder().setFreezeRange(FreezeRange.newBuilder()
                        .setRangeId(rangeId)).build(), deadline).getTsMicros();
            } catch (CommandRejectedException e) {
                if (e.reason() != RejectReason.REJECT_REASON_LOCK_CONFLICT || deadline.isExpired()) {
                    throw e;
                }
                backoff.pause(deadline);
            }
        }
    }

    private void unfreeze(long source, long rangeId) {
        try {
            propose(source, GroupCommand.newBuilder().setUnfreezeRange(UnfreezeRange.newBuilder().setRangeId(rangeId))
                    .build(), Deadline.after(10, TimeUnit.SECONDS));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unfreezing range " + rangeId + " of group " + source + " after a failed move"
                    + " failed; it refuses writes until unfrozen", e);
        }
    }

    private static RequestFailedException refused(String message) {
        return new RequestFailedException(ErrorReason.MOVE_REFUSED, message);
    }
}
