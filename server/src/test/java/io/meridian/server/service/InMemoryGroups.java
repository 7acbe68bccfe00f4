package io.meridian.server.service;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.meridian.api.internal.v1.CommittedAt;
import io.meridian.api.internal.v1.Done;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.PreparedAt;
import io.meridian.api.internal.v1.ReadDone;
import io.meridian.api.internal.v1.ReadMode;
import io.meridian.api.internal.v1.TxnRecord;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.ValidUntil;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.server.routing.ReadCommitOnlyLink;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One node holding every group, over one in-memory map of rows: group reads page through it with
 * the storage layer's limit and resume-key rules, transaction steps apply puts; every request is recorded.
 * A strong read is served at {@link #STRONG_TS}; a read at a timestamp at that timestamp.
 * Transaction steps are answered as by a leader with no contention (see {@link #txn}).
 */
final class InMemoryGroups extends ReadCommitOnlyLink {

    /** The lease term locking reads report. */
    static final long LEASE_TERM = 3;

    /** The timestamp strong reads are served at. */
    static final long STRONG_TS = 5_000;

    /** One group read as received. */
    record ReadSeen(long groupId, ReadMode mode, long readTsMicros, GroupReadRequest request) {
    }

    final NavigableMap<ByteString, Row> rows = new ConcurrentSkipListMap<>(Keys.ORDER);
    final List<ReadSeen> reads = new CopyOnWriteArrayList<>();
    final List<TxnRequest> steps = new CopyOnWriteArrayList<>();
    private final Map<ByteString, List<Mutation>> prepared = new HashMap<>();
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

    /**
     * A transaction step, answered as a leader whose locks are always free would: locking reads
     * like strong reads, one-phase commits and coordinator commits apply their puts (with the
     * writes prepared for the same transaction) at the next timestamp.
     */
    @Override
    public synchronized TxnReply txn(TxnRequest request, Deadline deadline) {
        steps.add(request);
        return switch (request.getOpCase()) {
            case READ -> {
                GroupReadRequest.Builder read = GroupReadRequest.newBuilder().setGroupId(request.getGroupId())
                        .setMode(ReadMode.READ_MODE_STRONG).addAllKeys(request.getRead().getKeysList())
                        .setLimit(request.getRead().getLimit()).setReverse(request.getRead().getReverse());
                if (request.getRead().hasRange()) {
                    read.setRange(request.getRead().getRange());
                }
                GroupReadResponse response = groupRead(read.build(), deadline);
                yield TxnReply.newBuilder().setRead(ReadDone.newBuilder().addAllRows(response.getRowsList())
                        .setReadTsMicros(response.getReadTsMicros()).setResumeKey(response.getResumeKey())
                        .setLeaseTerm(LEASE_TERM)).build();
            }
            case COMMIT_ONE_PHASE -> TxnReply.newBuilder().setCommitted(CommittedAt.newBuilder()
                    .setCommitTsMicros(apply(request.getCommitOnePhase().getWritesList()))).build();
            case PREPARE -> {
                prepared.computeIfAbsent(request.getTxnId(), id -> new ArrayList<>())
                        .addAll(request.getPrepare().getWritesList());
                yield TxnReply.newBuilder().setPrepared(PreparedAt.newBuilder().setPrepareTsMicros(++lastCommitTs)
                        .setValidUntilMicros(Long.MAX_VALUE)).build();
            }
            case VALIDATE -> TxnReply.newBuilder().setValidated(ValidUntil.newBuilder()
                    .setValidUntilMicros(Long.MAX_VALUE)).build();
            case COORDINATE -> {
                List<Mutation> writes = new ArrayList<>(request.getCoordinate().getWritesList());
                writes.addAll(prepared.getOrDefault(request.getTxnId(), List.of()));
                prepared.remove(request.getTxnId());
                lastCommitTs = Math.max(lastCommitTs, request.getCoordinate().getMinCommitTsMicros());
                long ts = apply(writes);
                yield TxnReply.newBuilder().setDecision(TxnRecord.newBuilder().setTxnId(request.getTxnId())
                        .setCommitted(true).setCommitTsMicros(ts)).build();
            }
            default -> TxnReply.newBuilder().setDone(Done.getDefaultInstance()).build();
        };
    }

    /** The transaction steps of one kind, in the order received. */
    List<TxnRequest> steps(TxnRequest.OpCase kind) {
        return steps.stream().filter(step -> step.getOpCase() == kind).toList();
    }

    private long apply(List<Mutation> writes) {
        lastCommitTs++;
        writes.stream().filter(Mutation::hasPut).forEach(m -> rows.put(m.getPut().getKey(),
                Row.newBuilder().setKey(m.getPut().getKey()).setValue(m.getPut().getValue())
                        .setVersionTs(Timestamp.newBuilder().setMicros(lastCommitTs)).build()));
        return lastCommitTs;
    }
}
