package io.meridian.server.gateway;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.Row;
import io.meridian.groups.CommandRejectedException;
import io.meridian.server.routing.Backoff;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.RoutingTable;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.truetime.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serves one page of a public read: splits it by range, reads each piece at the right replica
 * through a {@link SnapshotReader} (so that all pieces see one snapshot), and stitches the rows in
 * key order (or reverse), honouring the limit and the resume key. A piece that reaches a replica
 * whose ranges changed is re-planned on a refreshed directory, at most twice.
 *
 * <p>Thread-safe; each call runs on the caller's (virtual) thread.
 */
public final class ReadGateway {

    private static final int PLAN_ATTEMPTS_MAX = 3;

    /**
     * One page of rows.
     *
     * @param rows the rows, in the order the request asks for
     * @param readTs the timestamp the rows were read at
     * @param resumeKey where to continue a range read, when it stopped early
     * @param nextPage the consistency the next page of the same read must use to see the same
     *     snapshot
     */
    public record Page(List<Row> rows, Timestamp readTs, Optional<ByteString> resumeKey, Consistency nextPage) {
        public Page {
            rows = List.copyOf(rows);
        }
    }

    private final MetaCache meta;
    private final SnapshotReader.Factory readers;

    /**
     * @param meta the routing tables
     * @param readers makes the snapshot reader of each read
     */
    ReadGateway(MetaCache meta, SnapshotReader.Factory readers) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.readers = Objects.requireNonNull(readers, "readers");
    }

    /**
     * The gateway reading through {@code caller}, with {@code strongNow} giving
     * {@code TT.now().latest} when this node's clock may be used (empty when fenced).
     */
    public static ReadGateway create(MetaCache meta, GroupCaller caller, Supplier<Optional<Timestamp>> strongNow) {
        return new ReadGateway(meta, (consistency, deadline) -> new SnapshotReader(consistency, deadline, caller,
                strongNow));
    }

    /**
     * Reads one page of {@code request} (already validated).
     *
     * @param limit the most rows to return, at least 1
     */
    public Page read(ReadRequest request, Consistency consistency, long limit, Deadline deadline) {
        Backoff frozenBackoff = new Backoff();
        for (int attempt = 1; ; attempt++) {
            RoutingTable table = attempt == 1 ? meta.table() : meta.refresh();
            try {
                SnapshotReader reader = readers.create(consistency, deadline);
                return request.getKeysCount() > 0 ? readKeys(table, request, reader, limit)
                        : readSpan(table, request, reader, limit);
            } catch (CommandRejectedException e) {
                if (e.reason() == RejectReason.REJECT_REASON_RANGE_FROZEN && !deadline.isExpired()) {
                    // A range moving to another group; retried on a refreshed directory until the deadline.
                    frozenBackoff.pause(deadline);
                    attempt = 1;
                    continue;
                }
                if (e.reason() != RejectReason.REJECT_REASON_WRONG_RANGE || attempt >= PLAN_ATTEMPTS_MAX) {
                    throw e;
                }
            } catch (MissingRouteException e) {
                if (attempt >= PLAN_ATTEMPTS_MAX) {
                    throw new RequestFailedException(ErrorReason.UNAVAILABLE, e.getMessage());
                }
            }
        }
    }

    private Page readKeys(RoutingTable table, ReadRequest request, SnapshotReader reader, long limit) {
        Map<Long, Set<ByteString>> byGroup = new LinkedHashMap<>();
        for (ByteString key : request.getKeysList()) {
            DirectoryEntry entry = table.rangeFor(key).orElseThrow(() -> noRoute("key " + Keys.describe(key)));
            byGroup.computeIfAbsent(entry.getGroupId(), g -> new LinkedHashSet<>()).add(key);
        }
        reader.expectGroups(byGroup.size());
        Map<ByteString, Row> found = new HashMap<>();
        for (Map.Entry<Long, Set<ByteString>> group : byGroup.entrySet()) {
            List<ByteString> keys = List.copyOf(group.getValue());
            GroupReadResponse response = reader.read(group.getKey(), GroupReadRequest.newBuilder().addAllKeys(keys));
            response.getRowsList().forEach(row -> found.put(row.getKey(), row));
        }
        List<Row> rows = new ArrayList<>();
        for (ByteString key : request.getKeysList()) {
            Row row = found.get(key);
            if (row != null && rows.size() < limit) {
                rows.add(row);
            }
        }
        return new Page(rows, reader.readTs(), Optional.empty(), reader.nextPage());
    }

    private Page readSpan(RoutingTable table, ReadRequest request, SnapshotReader reader, long limit) {
        boolean reverse = request.getReverse();
        Optional<KeySpan> effective = effectiveSpan(ProtoConversions.span(request.getRange()),
                request.getResumeKey(), reverse);
        if (effective.isEmpty()) {
            return new Page(List.of(), reader.readTs(), Optional.empty(), reader.nextPage());
        }
        List<RoutingTable.Piece> pieces = new ArrayList<>(table.pieces(effective.get())
                .orElseThrow(() -> noRoute("range " + effective.get())));
        if (reverse) {
            Collections.reverse(pieces);
        }
        reader.expectGroups(pieces.stream().map(p -> p.entry().getGroupId()).distinct().count());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            RoutingTable.Piece piece = pieces.get(i);
            long pageLimit = Math.min(limit - rows.size(), Limit.SCAN_ROWS.max());
            GroupReadResponse response = reader.read(piece.entry().getGroupId(), GroupReadRequest.newBuilder()
                    .setRange(ProtoConversions.keyRange(piece.span())).setLimit(pageLimit).setReverse(reverse));
            rows.addAll(response.getRowsList());
            if (!response.getResumeKey().isEmpty()) {
                return new Page(rows, reader.readTs(), Optional.of(response.getResumeKey()), reader.nextPage());
            }
            if (rows.size() >= limit && i + 1 < pieces.size()) {
                // The piece is complete: continue at the next piece (forward) or below the last row.
                ByteString resume = reverse ? rows.get(rows.size() - 1).getKey() : piece.span().end();
                return new Page(rows, reader.readTs(), Optional.of(resume), reader.nextPage());
            }
        }
        return new Page(rows, reader.readTs(), Optional.empty(), reader.nextPage());
    }

    /**
     * The part of {@code span} still to read after {@code resumeKey}: {@code [resume, end)}
     * forward, {@code [start, resume)} in reverse; empty when nothing is left.
     */
    static Optional<KeySpan> effectiveSpan(KeySpan span, ByteString resumeKey, boolean reverse) {
        if (resumeKey.isEmpty()) {
            return Optional.of(span);
        }
        if (reverse) {
            return Keys.compare(resumeKey, span.start()) <= 0 ? Optional.empty()
                    : Optional.of(new KeySpan(span.start(), resumeKey));
        }
        return Optional.of(new KeySpan(resumeKey, span.end()));
    }

    private static MissingRouteException noRoute(String what) {
        return new MissingRouteException(what);
    }
}
