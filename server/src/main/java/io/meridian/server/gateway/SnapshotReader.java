package io.meridian.server.gateway;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.ReadMode;
import io.meridian.groups.ReadResult;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.GroupId;
import io.meridian.truetime.Timestamp;
import io.meridian.txn.ReadWriteTxn;
import io.meridian.txn.Failures;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads the pieces of one public read so that they all see one snapshot, and sends each piece to
 * the replica its {@link Consistency} calls for:
 * <ul>
 *   <li>{@link Consistency.Strong}: one group → a strong read at the leader, whose timestamp then
 *       fixes the snapshot for the other pieces; several groups → the snapshot is
 *       {@code TT.now().latest}, read at each leader once its safe time covers it;</li>
 *   <li>{@link Consistency.Exact}: at that timestamp, at the nearest replica;</li>
 *   <li>{@link Consistency.Bounded}: the first piece at the nearest replica's safe time (at least
 *       the bound), which fixes the snapshot for the others;</li>
 *   <li>{@link Consistency.Locking}: every piece a locking read of the transaction at its leader.</li>
 * </ul>
 * Not thread-safe: one per read, on the caller's thread.
 */
final class SnapshotReader {

    /** Makes the reader of one read. */
    @FunctionalInterface
    interface Factory {
        SnapshotReader create(Consistency consistency, Deadline deadline);
    }

    private final Consistency consistency;
    private final Deadline deadline;
    private final GroupCaller caller;
    private final Supplier<Optional<Timestamp>> strongNow;
    private boolean multiGroup;
    private Optional<Timestamp> fixed = Optional.empty();
    private Timestamp latestLocking = Timestamp.MIN;

    /**
     * @param strongNow {@code TT.now().latest} when this node's clock may be used, empty when it
     *     is fenced
     */
    SnapshotReader(Consistency consistency, Deadline deadline, GroupCaller caller,
            Supplier<Optional<Timestamp>> strongNow) {
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.deadline = deadline;
        this.caller = caller;
        this.strongNow = strongNow;
        if (consistency instanceof Consistency.Exact exact) {
            fixed = Optional.of(exact.readTs());
        }
    }

    /** Says how many groups the read touches, before the first {@link #read}. */
    void expectGroups(long groups) {
        multiGroup = groups > 1;
    }

    /** Reads one piece in {@code groupId}: {@code spec} carries the keys or range, limit, direction. */
    GroupReadResponse read(long groupId, GroupReadRequest.Builder spec) {
        spec.setGroupId(groupId).setMaxWaitMicros(Math.max(1, deadline.timeRemaining(TimeUnit.MICROSECONDS)));
        return switch (consistency) {
            case Consistency.Strong strong -> readStrong(groupId, spec);
            case Consistency.Exact exact -> nearest(groupId, spec.setMode(ReadMode.READ_MODE_AT_TIMESTAMP)
                    .setReadTsMicros(exact.readTs().micros()));
            case Consistency.Bounded bounded -> fix(fixed.isPresent()
                    ? nearest(groupId, spec.setMode(ReadMode.READ_MODE_AT_TIMESTAMP).setReadTsMicros(fixed.get().micros()))
                    : nearest(groupId, spec.setMode(ReadMode.READ_MODE_MIN_TIMESTAMP)
                            .setReadTsMicros(bounded.minReadTs().micros())));
            case Consistency.Locking locking -> {
                GroupReadResponse response = locking(locking.txn(), groupId, spec.build());
                latestLocking = Timestamp.max(latestLocking, Timestamp.ofMicros(response.getReadTsMicros()));
                yield response;
            }
        };
    }

    private GroupReadResponse readStrong(long groupId, GroupReadRequest.Builder spec) {
        if (fixed.isEmpty() && multiGroup) {
            fixed = Optional.of(strongNow.get().orElseThrow(() -> new RequestFailedException(ErrorReason.FENCED,
                    "this node's TrueTime uncertainty is above its bound: it cannot pick a strong read timestamp")));
        }
        if (fixed.isPresent()) {
            return leader(groupId, spec.setMode(ReadMode.READ_MODE_AT_TIMESTAMP).setReadTsMicros(fixed.get().micros()));
        }
        return fix(leader(groupId, spec.setMode(ReadMode.READ_MODE_STRONG)));
    }

    private GroupReadResponse fix(GroupReadResponse response) {
        if (fixed.isEmpty()) {
            fixed = Optional.of(Timestamp.ofMicros(response.getReadTsMicros()));
        }
        return response;
    }

    private GroupReadResponse leader(long groupId, GroupReadRequest.Builder spec) {
        GroupReadRequest request = spec.build();
        return caller.atLeader(groupId, CallKind.READ, deadline,
                (link, d) -> link.groupRead(request, d));
    }

    private GroupReadResponse nearest(long groupId, GroupReadRequest.Builder spec) {
        GroupReadRequest request = spec.build();
        return caller.atNearest(groupId, deadline, (link, d) -> link.groupRead(request, d));
    }

    /** A locking read of one piece by the read-write transaction {@code txn}, at the group's leader. */
    private GroupReadResponse locking(ReadWriteTxn txn, long groupId, GroupReadRequest request) {
        ReadResult result;
        try {
            result = txn.readPiece(new GroupId(groupId), ProtoConversions.readSpec(request))
                    .get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw Failures.rethrowable(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestFailedException(ErrorReason.DEADLINE, "the locking read did not finish in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(ErrorReason.UNAVAILABLE, "interrupted during a locking read", e);
        }
        return ProtoConversions.groupReadResponse(result);
    }

    /** The snapshot's timestamp (for a read-write transaction: its newest read). */
    Timestamp readTs() {
        if (consistency instanceof Consistency.Locking) {
            return latestLocking;
        }
        return fixed.orElse(Timestamp.MIN);
    }

    /**
     * The consistency for the next page of a streamed read: the snapshot this read fixed, so all
     * pages see one snapshot (a read-write transaction's reads stay locking reads).
     */
    Consistency nextPage() {
        if (consistency instanceof Consistency.Locking || fixed.isEmpty()) {
            return consistency;
        }
        return new Consistency.Exact(fixed.get());
    }
}
