package io.meridian.server.service;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.GroupCommitRequest;
import io.meridian.api.internal.v1.GroupCommitResponse;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.ReadMode;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.server.routing.ReadCommitOnlyLink;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One node holding every group, over one in-memory map of rows: group reads page through it with
 * the storage layer's limit and resume-key rules, commits apply puts; every request is recorded.
 * A strong read is served at {@link #STRONG_TS}; a read at a timestamp at that timestamp.
 */
final class InMemoryGroups extends ReadCommitOnlyLink {

    /** The timestamp strong reads are served at. */
    static final long STRONG_TS = 5_000;

    /** One group read as received. */
    record ReadSeen(long groupId, ReadMode mode, long readTsMicros, GroupReadRequest request) {
    }

    final NavigableMap<ByteString, Row> rows = new ConcurrentSkipListMap<>(Keys.ORDER);
    final List<ReadSeen> reads = new CopyOnWriteArrayList<>();
    final List<GroupCommitRequest> commits = new CopyOnWriteArrayList<>();
    private long lastCommitTs = 6_000;

    void put(String key, String value) {
        ByteString k = ByteString.copyFromUtf8(key);
        rows.put(k, Row.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(value))
                .setVersionTs(Timestamp.newBuilder().setMicros(1_000)).build());
    }

    @Override
    public String target() {
        return "in-memory";
    }

    @Override
    public GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline) {
        long ts = switch (request.getMode()) {
            case READ_MODE_STRONG -> STRONG_TS;
            case READ_MODE_MIN_TIMESTAMP -> Math.max(request.getReadTsMicros(), 4_000);
            default -> request.getReadTsMicros();
        };
        reads.add(new ReadSeen(request.getGroupId(), request.getMode(), ts, request));
        GroupReadResponse.Builder response = GroupReadResponse.newBuilder().setReadTsMicros(ts);
        if (request.getKeysCount() > 0) {
            request.getKeysList().stream().map(rows::get).filter(r -> r != null).forEach(response::addRows);
            return response.build();
        }
        KeySpan span = ProtoConversions.span(request.getRange());
        NavigableMap<ByteString, Row> inSpan = span.hasEnd() ? rows.subMap(span.start(), true, span.end(), false)
                : rows.tailMap(span.start(), true);
        List<Row> ordered = new ArrayList<>((request.getReverse() ? inSpan.descendingMap() : inSpan).values());
        int limit = (int) request.getLimit();
        List<Row> page = ordered.subList(0, Math.min(limit, ordered.size()));
        response.addAllRows(page);
        if (ordered.size() > limit) {
            // Forward: the first key not returned; reverse: the last key returned.
            response.setResumeKey(request.getReverse() ? page.get(page.size() - 1).getKey() : ordered.get(limit).getKey());
        }
        return response.build();
    }

    @Override
    public synchronized GroupCommitResponse groupCommit(GroupCommitRequest request, Deadline deadline) {
        commits.add(request);
        lastCommitTs++;
        request.getMutationsList().stream().filter(m -> m.hasPut()).forEach(m -> rows.put(m.getPut().getKey(),
                Row.newBuilder().setKey(m.getPut().getKey()).setValue(m.getPut().getValue())
                        .setVersionTs(Timestamp.newBuilder().setMicros(lastCommitTs)).build()));
        return GroupCommitResponse.newBuilder().setCommitTsMicros(lastCommitTs).build();
    }
}
