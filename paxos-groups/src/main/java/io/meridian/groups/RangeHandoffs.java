package io.meridian.groups;

import io.meridian.api.internal.v1.AcceptRange;
import io.meridian.api.internal.v1.FreezeRange;
import io.meridian.api.internal.v1.IngestVersions;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.ReleaseRange;
import io.meridian.api.internal.v1.UnfreezeRange;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.StoredVersion;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides the commands of a range move (Spanner's movedir) for {@link CommandOutcomes}: the
 * target group's {@code IngestVersions} and {@code AcceptRange}, the source group's
 * {@code FreezeRange}, {@code UnfreezeRange} and {@code ReleaseRange}. Pure functions of the
 * command and the applied state.
 *
 * <p>Invariants: a group's served and incoming ranges never overlap; an incoming range is never
 * served (reads and writes of it get {@code WRONG_RANGE}); a range holding writes of a prepared
 * transaction does not freeze ({@code LOCK_CONFLICT}) and a frozen range takes no write, prepare
 * or coordinator commit, so every version of it lies at or below its {@code frozen_at}; after
 * {@code AcceptRange} the target's last timestamp is at least {@code frozen_at}, so its leader
 * assigns every later write above every copied version.
 */
final class RangeHandoffs {

    private static final Comparator<RangeState> BY_START =
            Comparator.comparing((RangeState range) -> range.getSpan().getStart(), Keys.ORDER);

    private RangeHandoffs() {
    }

    /** Target: adds the range as incoming if need be and ingests the versions. */
    static CommandOutcomes.Outcome ingest(GroupState current, IngestVersions ingest) {
        RangeState range = ingest.getRange();
        KeySpan span;
        List<StoredVersion> versions = new ArrayList<>();
        try {
            span = GroupRanges.span(range);
            for (io.meridian.api.internal.v1.StoredVersion wire : ingest.getVersionsList()) {
                StoredVersion version = fromWire(wire);
                if (!span.contains(version.key())) {
                    return reject(current, "ingested key " + Keys.describe(version.key()) + " is outside range "
                            + range.getRangeId() + " " + span);
                }
                versions.add(version);
            }
        } catch (IllegalArgumentException e) {
            return reject(current, "IngestVersions: " + e.getMessage());
        }
        if (find(current.ranges(), range.getRangeId()).isPresent()) {
            return reject(current, "range " + range.getRangeId() + " is already served by this group");
        }
        List<RangeState> incoming = new ArrayList<>(current.incoming());
        Optional<RangeState> known = find(incoming, range.getRangeId());
        if (known.isPresent()) {
            if (!GroupRanges.span(known.get()).equals(span)) {
                return reject(current, "incoming range " + range.getRangeId() + " is " + GroupRanges.span(known.get())
                        + ", not " + span);
            }
        } else {
            Optional<RangeState> overlapping = current.heldRanges().stream()
                    .filter(held -> GroupRanges.overlap(GroupRanges.span(held), span)).findFirst();
            if (overlapping.isPresent()) {
                return reject(current, "incoming range " + range.getRangeId() + " " + span + " overlaps range "
                        + overlapping.get().getRangeId() + " of this group");
            }
            incoming.add(range.toBuilder().setIncoming(true).setFrozen(false).setFrozenAtMicros(0).build());
            incoming.sort(BY_START);
        }
        GroupState next = current.withRangesAndIncoming(current.ranges(), incoming);
        CommandOutcomes.Outcome applied = CommandOutcomes.Outcome.applied(next, versions.size(), List.of());
        return new CommandOutcomes.Outcome(next, applied.reply(), List.of(), Optional.empty(), versions);
    }

    /** Source: freezes a served range at the group's last timestamp; idempotent. */
    static CommandOutcomes.Outcome freeze(GroupState current, FreezeRange freeze) {
        int position = position(current.ranges(), freeze.getRangeId());
        if (position < 0) {
            return reject(current, "range " + freeze.getRangeId() + " is not served by this group");
        }
        RangeState range = current.ranges().get(position);
        if (range.getFrozen()) {
            return CommandOutcomes.Outcome.applied(current, range.getFrozenAtMicros(), List.of(range));
        }
        // A prepared transaction may still commit writes into the range above frozen_at, after
        // its versions were copied: the range cannot leave until it is resolved.
        Optional<PreparedTxn> prepared = current.txns().firstOverlapping(GroupRanges.span(range));
        if (prepared.isPresent()) {
            return CommandOutcomes.Outcome.rejected(current, new Rejection(RejectReason.REJECT_REASON_LOCK_CONFLICT,
                    "range " + range.getRangeId() + " holds writes of " + prepared.get().id()
                            + ", prepared and not yet resolved; retry the freeze after it is"));
        }
        RangeState frozen = range.toBuilder().setFrozen(true).setFrozenAtMicros(current.lastTs().micros()).build();
        List<RangeState> ranges = new ArrayList<>(current.ranges());
        ranges.set(position, frozen);
        return CommandOutcomes.Outcome.applied(current.withRangesAndIncoming(ranges, current.incoming()),
                frozen.getFrozenAtMicros(), List.of(frozen));
    }

    /** Source, abort path: the range takes writes again; idempotent. */
    static CommandOutcomes.Outcome unfreeze(GroupState current, UnfreezeRange unfreeze) {
        int position = position(current.ranges(), unfreeze.getRangeId());
        if (position < 0) {
            return reject(current, "range " + unfreeze.getRangeId() + " is not served by this group");
        }
        RangeState thawed = current.ranges().get(position).toBuilder().setFrozen(false).setFrozenAtMicros(0).build();
        List<RangeState> ranges = new ArrayList<>(current.ranges());
        ranges.set(position, thawed);
        return CommandOutcomes.Outcome.applied(current.withRangesAndIncoming(ranges, current.incoming()), 0,
                List.of(thawed));
    }

    /** Target: the incoming range becomes served; the last timestamp rises to frozen_at. */
    static CommandOutcomes.Outcome accept(GroupState current, AcceptRange accept) {
        RangeState range = accept.getRange();
        Optional<RangeState> served = find(current.ranges(), range.getRangeId());
        if (served.isPresent() && served.get().getGeneration() >= range.getGeneration()) {
            return CommandOutcomes.Outcome.applied(current, current.lastTs().micros(), List.of(served.get()));
        }
        int position = position(current.incoming(), range.getRangeId());
        if (position < 0) {
            return reject(current, "range " + range.getRangeId() + " is not incoming to this group");
        }
        RangeState incoming = current.incoming().get(position);
        if (!incoming.getSpan().equals(range.getSpan())) {
            return reject(current, "accepted range " + range.getRangeId() + " differs from the incoming one");
        }
        Timestamp frozenAt;
        try {
            frozenAt = new Timestamp(accept.getFrozenAtMicros());
        } catch (IllegalArgumentException e) {
            return reject(current, "AcceptRange: " + e.getMessage());
        }
        RangeState accepted = range.toBuilder().setIncoming(false).setFrozen(false).setFrozenAtMicros(0).build();
        List<RangeState> ranges = new ArrayList<>(current.ranges());
        ranges.add(accepted);
        ranges.sort(BY_START);
        List<RangeState> stillIncoming = new ArrayList<>(current.incoming());
        stillIncoming.remove(position);
        GroupState next = current.withRangesAndIncoming(ranges, stillIncoming)
                .withLastTs(Timestamp.max(current.lastTs(), frozenAt));
        return CommandOutcomes.Outcome.applied(next, next.lastTs().micros(), List.of(accepted));
    }

    /** Source, after the target accepted: the frozen range leaves the group; idempotent. */
    static CommandOutcomes.Outcome release(GroupState current, ReleaseRange release) {
        int position = position(current.ranges(), release.getRangeId());
        if (position < 0) {
            return CommandOutcomes.Outcome.applied(current, 0, List.of());
        }
        RangeState range = current.ranges().get(position);
        if (!range.getFrozen()) {
            return reject(current, "range " + range.getRangeId() + " must be frozen before it is released");
        }
        List<RangeState> ranges = new ArrayList<>(current.ranges());
        ranges.remove(position);
        return CommandOutcomes.Outcome.applied(current.withRangesAndIncoming(ranges, current.incoming()), 0,
                List.of(range));
    }

    /** A wire version as the store's value. */
    static StoredVersion fromWire(io.meridian.api.internal.v1.StoredVersion wire) {
        return new StoredVersion(wire.getKey(), new Timestamp(wire.getTsMicros()),
                wire.getTombstone() ? Optional.empty() : Optional.of(wire.getValue()));
    }

    /** A store version on the wire. */
    static io.meridian.api.internal.v1.StoredVersion toWire(StoredVersion version) {
        io.meridian.api.internal.v1.StoredVersion.Builder wire = io.meridian.api.internal.v1.StoredVersion.newBuilder()
                .setKey(version.key()).setTsMicros(version.ts().micros()).setTombstone(version.tombstone());
        version.value().ifPresent(wire::setValue);
        return wire.build();
    }

    private static CommandOutcomes.Outcome reject(GroupState current, String message) {
        return CommandOutcomes.Outcome.rejected(current, new Rejection(RejectReason.REJECT_REASON_INVALID, message));
    }

    private static Optional<RangeState> find(List<RangeState> ranges, long rangeId) {
        int position = position(ranges, rangeId);
        return position < 0 ? Optional.empty() : Optional.of(ranges.get(position));
    }

    private static int position(List<RangeState> ranges, long rangeId) {
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).getRangeId() == rangeId) {
                return i;
            }
        }
        return -1;
    }
}
