package io.meridian.server.cluster;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.RangeInfo;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the integration tests use to talk to one node: the public gRPC API through plain
 * blocking stubs (the SDK arrives later), with the retry rule users are promised: retry only
 * what is definitely not applied ({@code UNAVAILABLE}, {@code ABORTED}), never {@code UNKNOWN}.
 */
final class TestClient implements AutoCloseable {

    /** What became of a commit. */
    sealed interface Outcome {
        record Committed(long commitTsMicros) implements Outcome {}

        record Ambiguous(Status status) implements Outcome {}

        record Failed(Status status) implements Outcome {}
    }

    private final ManagedChannel channel;
    private final DatabaseGrpc.DatabaseBlockingStub database;
    private final AdminGrpc.AdminBlockingStub admin;

    TestClient(String address) {
        this.channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        this.database = DatabaseGrpc.newBlockingStub(channel);
        this.admin = AdminGrpc.newBlockingStub(channel);
    }

    DatabaseGrpc.DatabaseBlockingStub database() {
        return database.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    AdminGrpc.AdminBlockingStub admin() {
        return admin.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    static Mutation put(String key, String value) {
        return Mutation.newBuilder()
                .setPut(Mutation.Put.newBuilder().setKey(bytes(key)).setValue(bytes(value)))
                .build();
    }

    /** One single-use commit attempt. */
    CommitResponse commitOnce(List<Mutation> mutations) {
        return database().commit(CommitRequest.newBuilder().setSingleUse(true).addAllMutations(mutations).build());
    }

    /**
     * Commits, retrying definite failures ({@code UNAVAILABLE}, {@code ABORTED}) until
     * {@code patience} is spent; an {@code UNKNOWN} answer is returned as ambiguous at once.
     */
    Outcome commit(List<Mutation> mutations, Duration patience) {
        long deadlineNanos = System.nanoTime() + patience.toNanos();
        Status last = Status.DEADLINE_EXCEEDED;
        while (System.nanoTime() < deadlineNanos) {
            try {
                return new Outcome.Committed(commitOnce(mutations).getCommitTimestamp().getMicros());
            } catch (StatusRuntimeException e) {
                last = e.getStatus();
                switch (last.getCode()) {
                    case UNAVAILABLE, ABORTED -> backOff();
                    case UNKNOWN, DEADLINE_EXCEEDED -> {
                        return new Outcome.Ambiguous(last);
                    }
                    default -> {
                        return new Outcome.Failed(last);
                    }
                }
            }
        }
        return new Outcome.Failed(last);
    }

    /** A strong single-use read of one key, retrying {@code UNAVAILABLE} for up to {@code patience}. */
    Optional<Row> strongGet(String key, Duration patience) {
        ReadResponse response = readRetrying(ReadRequest.newBuilder()
                .setTransaction(TransactionSelector.newBuilder()
                        .setSingleUse(TimestampBound.newBuilder().setStrong(true)))
                .addKeys(bytes(key)).build(), patience);
        return response.getRowsList().stream().findFirst();
    }

    /** Every row of the keyspace at exactly {@code readTsMicros}, paging through resume keys. */
    List<Row> scanAllAt(long readTsMicros, Duration patience) {
        List<Row> rows = new ArrayList<>();
        ByteString resume = ByteString.EMPTY;
        do {
            ReadRequest.Builder request = ReadRequest.newBuilder()
                    .setTransaction(TransactionSelector.newBuilder().setSingleUse(TimestampBound.newBuilder()
                            .setReadTimestamp(Timestamp.newBuilder().setMicros(readTsMicros))))
                    .setRange(KeyRange.getDefaultInstance())
                    .setLimit(1000);
            if (!resume.isEmpty()) {
                request.setResumeKey(resume);
            }
            ReadResponse response = readRetrying(request.build(), patience);
            rows.addAll(response.getRowsList());
            resume = response.getResumeKey();
        } while (!resume.isEmpty());
        return rows;
    }

    ReadResponse readRetrying(ReadRequest request, Duration patience) {
        long deadlineNanos = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return database().read(request);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                backOff();
            }
        }
    }

    /** The id of the range that holds {@code key}. */
    long rangeHolding(String key) {
        ByteString k = bytes(key);
        return admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList().stream()
                .map(RangeInfo::getRange)
                .filter(r -> ByteString.unsignedLexicographicalComparator().compare(r.getSpan().getStart(), k) <= 0
                        && (r.getSpan().getEnd().isEmpty()
                                || ByteString.unsignedLexicographicalComparator().compare(k, r.getSpan().getEnd()) < 0))
                .findFirst().orElseThrow().getRangeId();
    }

    /** The group's current leader as the cluster reports it, if it has one. */
    Optional<String> leaderOf(long groupId) {
        for (GroupInfo group : admin().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()) {
            if (group.getGroupId() == groupId && !group.getLeaderNodeId().isEmpty()) {
                return Optional.of(group.getLeaderNodeId());
            }
        }
        return Optional.empty();
    }

    private static void backOff() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
