package io.meridian.server.local;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.grpc.Server;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListGroupsResponse;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListNodesResponse;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TransactionSelector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A fake Meridian node for the shell's tests: an in-memory Database (single-use reads and commits,
 * one version per key, a clock that ticks once per request) and an Admin with a fixed
 * three-node, two-range layout, served by a gRPC server inside the test JVM on a loopback port.
 * Rows per Read page are capped at {@link #PAGE_ROWS} so that paging shows. Keys starting with
 * {@code !} trigger the errors the tests need. It records the selector of every Read.
 */
final class FakeMeridian implements AutoCloseable {

    /** The first timestamp the fake hands out: 2026-01-01T00:00:00Z. */
    static final long CLOCK_START_MICROS = 1_767_225_600_000_000L;
    /** The most rows one Read returns. */
    static final int PAGE_ROWS = 2;

    private final NavigableMap<ByteString, Row> rows = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    private final List<TransactionSelector> readSelectors = new ArrayList<>();
    private long clockMicros = CLOCK_START_MICROS;
    /** Whether range 2 has a leader yet (it has none at first: an election in progress). */
    volatile boolean secondRangeLed;
    private final Server server;

    FakeMeridian() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(LocalCluster.HOST, 0), InsecureServerCredentials.create())
                .addService(new FakeDatabase())
                .addService(new FakeAdmin())
                .build()
                .start();
    }

    /** @return {@code host:port} to connect to */
    String target() {
        return LocalCluster.HOST + ":" + server.getPort();
    }

    /** @return the selectors of the Reads served so far, in order */
    synchronized List<TransactionSelector> readSelectors() {
        return List.copyOf(readSelectors);
    }

    /** @return the stored value of a key, or null */
    synchronized ByteString value(ByteString key) {
        Row row = rows.get(key);
        return row == null ? null : row.getValue();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private synchronized Timestamp tick() {
        clockMicros += 1_000;
        return Timestamp.newBuilder().setMicros(clockMicros).build();
    }

    private static io.grpc.StatusRuntimeException error(Code code, String message, com.google.protobuf.Message detail) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(code.getNumber())
                .setMessage(message).addDetails(Any.pack(detail)).build());
    }

    private final class FakeDatabase extends DatabaseGrpc.DatabaseImplBase {
        @Override
        public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
            if (request.getKeysList().stream().anyMatch(k -> k.toStringUtf8().equals("!leaderless"))) {
                response.onError(error(Code.UNAVAILABLE, "no leader for group 7",
                        LeaderHint.newBuilder().setGroupId(7).setLeaderNodeId("n2").setLeaderAddress("127.0.0.1:7102").build()));
                return;
            }
            synchronized (FakeMeridian.this) {
                readSelectors.add(request.getTransaction());
                Timestamp readAt = request.getTransaction().getSingleUse().hasReadTimestamp()
                        ? request.getTransaction().getSingleUse().getReadTimestamp() : tick();
                ReadResponse.Builder answer = ReadResponse.newBuilder().setReadTimestamp(readAt);
                if (request.hasRange()) {
                    readRange(request, answer);
                } else {
                    for (ByteString key : request.getKeysList()) {
                        Row row = rows.get(key);
                        if (row != null) {
                            answer.addRows(row);
                        }
                    }
                }
                response.onNext(answer.build());
            }
            response.onCompleted();
        }

        private void readRange(ReadRequest request, ReadResponse.Builder answer) {
            KeyRange range = request.getRange();
            ByteString from = request.getResumeKey().isEmpty() ? range.getStart() : request.getResumeKey();
            NavigableMap<ByteString, Row> span = range.getEnd().isEmpty() ? rows.tailMap(from, true)
                    : rows.subMap(from, true, range.getEnd(), false);
            long limit = Math.min(PAGE_ROWS, request.getLimit() == 0 ? PAGE_ROWS : request.getLimit());
            for (Map.Entry<ByteString, Row> entry : span.entrySet()) {
                if (answer.getRowsCount() == limit) {
                    answer.setResumeKey(entry.getKey());
                    break;
                }
                answer.addRows(entry.getValue());
            }
        }

        @Override
        public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
            for (Mutation mutation : request.getMutationsList()) {
                String key = mutation.hasPut() ? mutation.getPut().getKey().toStringUtf8() : "";
                if (key.equals("!ambiguous")) {
                    response.onError(io.grpc.Status.UNKNOWN.withDescription("the coordinator went away").asRuntimeException());
                    return;
                }
                if (key.startsWith("!huge")) {
                    response.onError(error(Code.INVALID_ARGUMENT, "key too long",
                            LimitViolation.newBuilder().setLimit("key bytes").setMaximum(480).setActual(key.length()).build()));
                    return;
                }
            }
            synchronized (FakeMeridian.this) {
                Timestamp at = tick();
                for (Mutation mutation : request.getMutationsList()) {
                    if (mutation.hasPut()) {
                        rows.put(mutation.getPut().getKey(), Row.newBuilder().setKey(mutation.getPut().getKey())
                                .setValue(mutation.getPut().getValue()).setVersionTs(at).build());
                    } else if (mutation.hasDelete()) {
                        rows.remove(mutation.getDelete().getKey());
                    }
                }
                response.onNext(CommitResponse.newBuilder().setCommitTimestamp(at).build());
            }
            response.onCompleted();
        }
    }

    private final class FakeAdmin extends AdminGrpc.AdminImplBase {
        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
            ListNodesResponse.Builder answer = ListNodesResponse.newBuilder();
            for (int i = 1; i <= 3; i++) {
                answer.addNodes(Node.newBuilder().setNodeId("n" + i).setAddress("127.0.0.1:710" + i).setRegion("local")
                        .setZone("z" + i).setEpsilonMicros(i == 3 ? 12_500 : 250)
                        .setHealth(i == 3 ? NodeHealth.NODE_HEALTH_FENCED : NodeHealth.NODE_HEALTH_SERVING));
            }
            response.onNext(answer.build());
            response.onCompleted();
        }

        @Override
        public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> response) {
            ByteString split = ByteString.copyFromUtf8("m");
            response.onNext(ListRangesResponse.newBuilder()
                    .addRanges(RangeInfo.newBuilder().setApproximateBytes(-1).setRange(range(1, KeyRange.newBuilder().setEnd(split).build(), "n1")))
                    .addRanges(RangeInfo.newBuilder().setApproximateBytes(4096).setRange(range(2, KeyRange.newBuilder().setStart(split).build(), secondRangeLed ? "n2" : "")))
                    .build());
            response.onCompleted();
        }

        private RangeDescriptor range(long id, KeyRange span, String leader) {
            return RangeDescriptor.newBuilder().setRangeId(id).setSpan(span).setGroupId(1).setGeneration(1)
                    .addAllReplicaNodeIds(List.of("n1", "n2", "n3")).setLeaderNodeId(leader).build();
        }

        @Override
        public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> response) {
            response.onError(io.grpc.Status.UNIMPLEMENTED.withDescription("ListGroups is not served yet").asRuntimeException());
        }
    }

    /** A group, for tests that build their own answers. */
    static GroupInfo group(long id, String leader) {
        return GroupInfo.newBuilder().setGroupId(id).setLeaderNodeId(leader).addAllReplicaNodeIds(List.of("n1", "n2", "n3"))
                .addRangeIds(1).addRangeIds(2).build();
    }
}
