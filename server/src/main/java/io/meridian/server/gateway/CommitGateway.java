package io.meridian.server.gateway;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupCommitRequest;
import io.meridian.api.internal.v1.ReadCheck;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.v1.Mutation;
import io.meridian.groups.CommandRejectedException;
import io.meridian.server.routing.Backoff;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.RoutingTable;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.Timestamp;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends a commit to the leader of the one group its keys (mutations and read checks) live in.
 * A commit touching several groups is refused with {@code UNIMPLEMENTED} until two-phase commit
 * exists; a commit touching none (nothing written, nothing read) commits trivially at
 * {@code TT.now().latest} after commit wait. A {@code WRONG_RANGE} refusal means nothing was
 * applied: the commit is re-planned on a refreshed directory, at most twice. A {@code RANGE_FROZEN}
 * refusal (a range moving to another group) applied nothing either: the commit is retried with
 * backoff, re-planned on a refreshed directory, until its deadline. An ambiguous outcome
 * propagates as is.
 *
 * <p>Thread-safe; each call runs on the caller's (virtual) thread.
 */
public final class CommitGateway {

    private static final int PLAN_ATTEMPTS_MAX = 3;

    private final MetaCache meta;
    private final GroupCaller caller;
    private final Supplier<Optional<Timestamp>> strongNow;
    private final CommitWait commitWait;

    /**
     * @param strongNow {@code TT.now().latest} when this node's clock may be used, empty when fenced
     */
    public CommitGateway(MetaCache meta, GroupCaller caller, Supplier<Optional<Timestamp>> strongNow,
            CommitWait commitWait) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.strongNow = Objects.requireNonNull(strongNow, "strongNow");
        this.commitWait = Objects.requireNonNull(commitWait, "commitWait");
    }

    /**
     * Commits validated {@code mutations} after {@code checks} pass.
     *
     * @param converted the same mutations as storage values (for routing)
     * @return the commit timestamp
     */
    public Timestamp commit(List<Mutation> mutations, List<io.meridian.storage.Mutation> converted,
            List<ReadCheck> checks, Deadline deadline) {
        Backoff frozenBackoff = new Backoff();
        for (int attempt = 1; ; attempt++) {
            RoutingTable table = attempt == 1 ? meta.table() : meta.refresh();
            TreeSet<Long> groups;
            try {
                groups = groupsTouched(table, converted, checks);
            } catch (MissingRouteException e) {
                if (attempt >= PLAN_ATTEMPTS_MAX) {
                    throw new RequestFailedException(ErrorReason.UNAVAILABLE, e.getMessage());
                }
                continue;
            }
            if (groups.isEmpty()) {
                return trivialCommit(deadline);
            }
            if (groups.size() > 1) {
                throw new RequestFailedException(ErrorReason.NOT_SERVED_YET, "multi-group commits arrive with"
                        + " two-phase commit: this commit's keys live in groups " + groups);
            }
            long group = groups.first();
            GroupCommitRequest request = GroupCommitRequest.newBuilder().setGroupId(group)
                    .addAllMutations(mutations).addAllReadChecks(checks).build();
            try {
                long ts = caller.atLeader(group, CallKind.COMMIT, deadline,
                        (link, d) -> link.groupCommit(request, d)).getCommitTsMicros();
                return Timestamp.ofMicros(ts);
            } catch (CommandRejectedException e) {
                if (e.reason() == RejectReason.REJECT_REASON_RANGE_FROZEN && !deadline.isExpired()) {
                    // Nothing was applied; the range's move ends shortly. Retries until the deadline.
                    frozenBackoff.pause(deadline);
                    attempt = 1;
                    continue;
                }
                if (e.reason() != RejectReason.REJECT_REASON_WRONG_RANGE || attempt >= PLAN_ATTEMPTS_MAX) {
                    throw e;
                }
            }
        }
    }

    /** The groups whose ranges hold the mutations' keys and the checked reads, in order. */
    static TreeSet<Long> groupsTouched(RoutingTable table, List<io.meridian.storage.Mutation> mutations,
            List<ReadCheck> checks) {
        TreeSet<Long> groups = new TreeSet<>();
        for (io.meridian.storage.Mutation m : mutations) {
            switch (m) {
                case io.meridian.storage.Mutation.Put put -> groups.add(groupOf(table, put.key()));
                case io.meridian.storage.Mutation.Delete delete -> groups.add(groupOf(table, delete.key()));
                case io.meridian.storage.Mutation.DeleteRange range -> addGroups(table, range.span(), groups);
            }
        }
        for (ReadCheck check : checks) {
            switch (check.getTargetCase()) {
                case KEY -> groups.add(groupOf(table, check.getKey()));
                case RANGE -> addGroups(table, ProtoConversions.span(check.getRange()), groups);
                case TARGET_NOT_SET -> throw new IllegalStateException("a recorded read check has no target");
            }
        }
        return groups;
    }

    private static long groupOf(RoutingTable table, ByteString key) {
        return table.rangeFor(key).map(DirectoryEntry::getGroupId)
                .orElseThrow(() -> new MissingRouteException("key " + Keys.describe(key)));
    }

    private static void addGroups(RoutingTable table, KeySpan span, TreeSet<Long> groups) {
        table.pieces(span).orElseThrow(() -> new MissingRouteException("range " + span))
                .forEach(piece -> groups.add(piece.entry().getGroupId()));
    }

    private Timestamp trivialCommit(Deadline deadline) {
        Timestamp ts = strongNow.get().orElseThrow(() -> new RequestFailedException(ErrorReason.FENCED,
                "this node's TrueTime uncertainty is above its bound: it cannot pick a commit timestamp"));
        try {
            return commitWait.waitUntilAfter(ts).get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)),
                    TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RequestFailedException(ErrorReason.DEADLINE, "commit wait did not finish: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "interrupted during commit wait", e);
        }
    }
}
