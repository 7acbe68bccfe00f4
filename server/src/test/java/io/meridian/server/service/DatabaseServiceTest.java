package io.meridian.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.internal.v1.ReadMode;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.KeepAliveRequest;
import io.meridian.api.v1.RollbackRequest;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionOptions;
import io.meridian.api.v1.TransactionSelector;
import io.meridian.api.v1.WatchChangesRequest;
import io.meridian.groups.NodeId;
import io.meridian.server.gateway.CommitGateway;
import io.meridian.server.gateway.ReadGateway;
import io.meridian.server.gateway.TransactionRegistry;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.routing.LeaderCache;
import io.meridian.server.routing.MetaCache;
import io.meridian.server.routing.MetaKeyRouter;
import io.meridian.server.node.NodeTxnTransport;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.TxnOptions;
import io.meridian.server.routing.NodeLinks;
import io.meridian.server.status.StatusMapper;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.system.ExecutorScheduler;
import io.meridian.truetime.system.SystemTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows the public {@code Database} service as a client sees it, over in-process gRPC, with a
 * gateway whose groups are served by {@link InMemoryGroups}: reads split by range and stitched in
 * key order (and reverse) with limits and resume keys, one snapshot for every piece, streamed
 * pages, read-write transactions (locking reads, one- and two-phase commit), and the refusals (bad input,
 * unknown transactions, change streams).
 *
 * <p>The directory: {@code [-inf, "g")} and {@code ["p", "t")} and {@code ["t", +inf)} in group
 * 1, {@code ["g", "p")} in group 2.
 */
class DatabaseServiceTest {

    private static final NodeId SELF = new NodeId("n1");
    private static final long NOW_MICROS = 9_000;

    private final InMemoryGroups groups = new InMemoryGroups();
    /** The transaction registry's clock: it stands still unless a test moves it. */
    private final AtomicLong registryNanos = new AtomicLong();
    private ExecutorService executor;
    private ExecutorScheduler scheduler;
    private Server server;
    private ManagedChannel channel;
    private DatabaseGrpc.DatabaseBlockingStub db;

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static DirectoryEntry entry(long id, String start, String end, long group) {
        return DirectoryEntry.newBuilder().setRangeId(id).setGroupId(group).setGeneration(1)
                .setSpan(KeyRange.newBuilder().setStart(bytes(start)).setEnd(bytes(end))).build();
    }

    @BeforeEach
    void start() throws Exception {
        MetaState meta = MetaState.newBuilder()
                .addNodes(NodeRecord.newBuilder().setNodeId("n1").setAddress("self:1"))
                .addGroups(GroupRecord.newBuilder().setGroupId(1).addReplicaNodeIds("n1"))
                .addGroups(GroupRecord.newBuilder().setGroupId(2).addReplicaNodeIds("n1"))
                .addDirectory(entry(1, "", "g", 1)).addDirectory(entry(2, "g", "p", 2))
                .addDirectory(entry(3, "p", "t", 1)).addDirectory(entry(4, "t", "", 1)).build();
        NodeLinks links = new NodeLinks(SELF, "self:1", (target, address) -> {
            throw new AssertionError("no remote node in this test: " + target);
        });
        links.bindLocal(groups);
        MetaCache cache = new MetaCache(SELF, () -> Optional.of(meta), links, List.of(), Duration.ofSeconds(1));
        GroupCaller caller = new GroupCaller(SELF, "z", "r", cache, new LeaderCache(), links, g -> Optional.empty());
        Supplier<Optional<Timestamp>> strongNow = () -> Optional.of(new Timestamp(NOW_MICROS));
        scheduler = new ExecutorScheduler("test-commit-wait");
        executor = Executors.newVirtualThreadPerTaskExecutor();
        TxnDriver driver = new TxnDriver(new SystemTimeSource(Duration.ZERO), scheduler, new MetaKeyRouter(cache),
                new NodeTxnTransport(caller, executor, Duration.ofSeconds(5)), TxnOptions.defaults(), new Random(7));
        DatabaseService service = new DatabaseService(ReadGateway.create(cache, caller, strongNow),
                new CommitGateway(cache, driver),
                new TransactionRegistry(Duration.ofSeconds(10), registryNanos::get),
                new StatusMapper(node -> Optional.empty()), strongNow);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executor).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        db = DatabaseGrpc.newBlockingStub(channel);
        for (char c = 'a'; c <= 'z'; c++) {
            groups.put(String.valueOf(c), "v" + c);
        }
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        executor.shutdownNow();
        scheduler.close();
    }

    private static List<String> keys(List<Row> rows) {
        return rows.stream().map(r -> r.getKey().toStringUtf8()).toList();
    }

    private static List<String> letters(char from, char to) {
        List<String> out = new ArrayList<>();
        for (char c = from; from <= to ? c <= to : c >= to; c += from <= to ? 1 : -1) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    private ReadResponse scan(KeyRange range, long limit, boolean reverse, ByteString resume) {
        return db.read(ReadRequest.newBuilder().setRange(range).setLimit(limit).setReverse(reverse)
                .setResumeKey(resume).build());
    }

    private static Mutation put(String key, String value) {
        return Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(bytes(key)).setValue(bytes(value))).build();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void aScanAcrossRangesIsStitchedInKeyOrderAndResumesWhereItStopped() {
        ReadResponse first = scan(KeyRange.getDefaultInstance(), 10, false, ByteString.EMPTY);
        assertEquals(letters('a', 'j'), keys(first.getRowsList()));
        assertEquals("k", first.getResumeKey().toStringUtf8());
        // The pieces span two groups: every piece is read at one snapshot, TT.now().latest.
        assertEquals(2, groups.reads.size());
        assertTrue(groups.reads.stream().allMatch(r -> r.mode() == ReadMode.READ_MODE_AT_TIMESTAMP
                && r.readTsMicros() == NOW_MICROS), groups.reads.toString());
        assertEquals(NOW_MICROS, first.getReadTimestamp().getMicros());

        ReadResponse second = scan(KeyRange.getDefaultInstance(), 10, false, first.getResumeKey());
        assertEquals(letters('k', 't'), keys(second.getRowsList()));

        ReadResponse third = scan(KeyRange.getDefaultInstance(), 10, false, second.getResumeKey());
        assertEquals(letters('u', 'z'), keys(third.getRowsList()));
        assertTrue(third.getResumeKey().isEmpty());
        // The last page lies in one group: a plain strong read at its leader.
        assertEquals(InMemoryGroups.STRONG_TS, third.getReadTimestamp().getMicros());
    }

    @Test
    void aReverseScanAcrossRangesComesBackInReverseKeyOrder() {
        List<String> seen = new ArrayList<>();
        ByteString resume = ByteString.EMPTY;
        int pages = 0;
        do {
            ReadResponse page = scan(KeyRange.newBuilder().setStart(bytes("b")).build(), 10, true, resume);
            seen.addAll(keys(page.getRowsList()));
            resume = page.getResumeKey();
            pages++;
        } while (!resume.isEmpty());

        assertEquals(letters('z', 'b'), seen);
        assertEquals(3, pages);
    }

    @Test
    void aStrongScanInOneGroupIsStrongAtTheFirstPieceAndAtItsTimestampAfter() {
        ReadResponse response = scan(KeyRange.newBuilder().setStart(bytes("q")).setEnd(bytes("v")).build(), 100,
                false, ByteString.EMPTY);

        assertEquals(letters('q', 'u'), keys(response.getRowsList()));
        assertEquals(InMemoryGroups.STRONG_TS, response.getReadTimestamp().getMicros());
        assertEquals(List.of(ReadMode.READ_MODE_STRONG, ReadMode.READ_MODE_AT_TIMESTAMP),
                groups.reads.stream().map(InMemoryGroups.ReadSeen::mode).toList());
        assertEquals(InMemoryGroups.STRONG_TS, groups.reads.get(1).readTsMicros());
    }

    @Test
    void pointReadsAcrossGroupsComeBackInTheOrderGivenWithoutAbsentKeys() {
        ReadResponse response = db.read(ReadRequest.newBuilder().addKeys(bytes("z")).addKeys(bytes("a"))
                .addKeys(bytes("absent")).addKeys(bytes("h")).build());

        assertEquals(List.of("z", "a", "h"), keys(response.getRowsList()));
    }

    @Test
    void staleReadsReadAtTheirTimestamp() {
        ReadResponse exact = db.read(ReadRequest.newBuilder().addKeys(bytes("a")).setTransaction(TransactionSelector
                .newBuilder().setSingleUse(TimestampBound.newBuilder().setExactStalenessMicros(1_000))).build());
        assertEquals(NOW_MICROS - 1_000, exact.getReadTimestamp().getMicros());

        ReadResponse bounded = db.read(ReadRequest.newBuilder().addKeys(bytes("a")).addKeys(bytes("h"))
                .setTransaction(TransactionSelector.newBuilder().setSingleUse(TimestampBound.newBuilder()
                        .setMinReadTimestamp(io.meridian.api.v1.Timestamp.newBuilder().setMicros(3_000)))).build());
        // The first group's replica picks its safe time; the second group reads at that same time.
        assertEquals(4_000, bounded.getReadTimestamp().getMicros());
        List<InMemoryGroups.ReadSeen> reads = groups.reads.subList(1, 3);
        assertEquals(ReadMode.READ_MODE_MIN_TIMESTAMP, reads.get(0).mode());
        assertEquals(ReadMode.READ_MODE_AT_TIMESTAMP, reads.get(1).mode());
        assertEquals(4_000, reads.get(1).readTsMicros());
    }

    @Test
    void aStreamingReadPagesThroughEverythingAtOneSnapshot() {
        for (int i = 0; i < 2_500; i++) {
            groups.put(String.format("m/%05d", i), "x");
        }
        List<String> seen = new ArrayList<>();
        int pages = 0;
        Iterator<ReadResponse> stream = db.streamingRead(ReadRequest.newBuilder()
                .setRange(KeyRange.getDefaultInstance()).build());
        while (stream.hasNext()) {
            seen.addAll(keys(stream.next().getRowsList()));
            pages++;
        }

        assertEquals(2_526, seen.size());
        assertEquals(seen.stream().sorted().toList(), seen);
        assertTrue(pages >= 3, "pages: " + pages);
        assertTrue(groups.reads.stream().allMatch(r -> r.readTsMicros() == NOW_MICROS));
    }

    @Test
    void aReadWriteTransactionLocksWhatItReadsAndCommitsInOnePhaseInOneGroup() {
        var begun = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())).build());
        ByteString txn = begun.getTransactionId();
        assertTrue(begun.getPriority().getMicros() > 0, "a read-write transaction gets its priority");
        TransactionSelector inTxn = TransactionSelector.newBuilder().setTransactionId(txn).build();
        db.read(ReadRequest.newBuilder().setTransaction(inTxn).addKeys(bytes("a")).build());
        ReadResponse range = db.read(ReadRequest.newBuilder().setTransaction(inTxn)
                .setRange(KeyRange.newBuilder().setStart(bytes("b")).setEnd(bytes("d"))).build());
        assertEquals(List.of("b", "c"), keys(range.getRowsList()));
        List<TxnRequest> reads = groups.steps(TxnRequest.OpCase.READ);
        assertEquals(2, reads.size());
        assertTrue(reads.stream().allMatch(r -> r.getTxnId().equals(txn)
                && r.getPriorityMicros() == begun.getPriority().getMicros()), "reads lock for the transaction");

        long ts = db.commit(CommitRequest.newBuilder().setTransactionId(txn).addMutations(put("c", "new")).build())
                .getCommitTimestamp().getMicros();

        TxnRequest sent = groups.steps(TxnRequest.OpCase.COMMIT_ONE_PHASE).get(0);
        assertEquals(1, sent.getGroupId());
        assertEquals(InMemoryGroups.LEASE_TERM, sent.getReadTerm(), "the group knows the transaction read there");
        assertEquals(ts, groups.rows.get(bytes("c")).getVersionTs().getMicros());
        assertEquals(List.of(), groups.steps(TxnRequest.OpCase.PREPARE));
        assertEquals(Status.Code.NOT_FOUND, code(() -> db.read(ReadRequest.newBuilder().setTransaction(inTxn)
                .addKeys(bytes("a")).build())));
    }

    @Test
    void aCommitTouchingTwoGroupsRunsTwoPhaseCommitWithTheFirstWrittenGroupCoordinating() {
        ByteString txn = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())).build()).getTransactionId();
        db.read(ReadRequest.newBuilder().setTransaction(TransactionSelector.newBuilder().setTransactionId(txn))
                .addKeys(bytes("h")).build());

        long ts = db.commit(CommitRequest.newBuilder().setTransactionId(txn)
                .addMutations(put("a", "1")).addMutations(put("h", "2")).build()).getCommitTimestamp().getMicros();

        TxnRequest prepare = groups.steps(TxnRequest.OpCase.PREPARE).get(0);
        assertEquals(2, prepare.getGroupId());
        assertEquals(1, prepare.getPrepare().getCoordinatorGroup());
        assertEquals(InMemoryGroups.LEASE_TERM, prepare.getReadTerm());
        TxnRequest coordinate = groups.steps(TxnRequest.OpCase.COORDINATE).get(0);
        assertEquals(1, coordinate.getGroupId());
        assertEquals(List.of(2L), coordinate.getCoordinate().getParticipantGroupsList());
        assertTrue(coordinate.getCoordinate().getMinCommitTsMicros() > 0, "at or above the prepare timestamp");
        assertEquals(ts, groups.rows.get(bytes("a")).getVersionTs().getMicros());
        assertEquals(ts, groups.rows.get(bytes("h")).getVersionTs().getMicros());

        long single = db.commit(CommitRequest.newBuilder().setSingleUse(true)
                .addMutations(put("b", "1")).addMutations(put("i", "2")).build()).getCommitTimestamp().getMicros();
        assertEquals(single, groups.rows.get(bytes("i")).getVersionTs().getMicros());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        ByteString txn = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())).build()).getTransactionId();

        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> db.commit(CommitRequest.newBuilder().setTransactionId(txn)
                .addMutations(put("a", "1")).addMutations(put("k".repeat(481), "2")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> db.commit(CommitRequest.newBuilder().setSingleUse(true)
                .build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> db.read(ReadRequest.getDefaultInstance())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> db.beginTransaction(BeginTransactionRequest
                .getDefaultInstance())));
        assertEquals(List.of(), groups.steps);
        assertEquals(List.of(), groups.reads);

        // The refused commit left the transaction usable.
        db.commit(CommitRequest.newBuilder().setTransactionId(txn).addMutations(put("a", "1")).build());
        assertEquals(1, groups.steps(TxnRequest.OpCase.COMMIT_ONE_PHASE).size());
    }

    @Test
    void readOnlyTransactionsReadAtTheirSnapshotAndRollbackForgetsTransactions() {
        var begun = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions.newBuilder()
                .setReadOnly(TransactionOptions.ReadOnly.newBuilder().setBound(TimestampBound.newBuilder()
                        .setExactStalenessMicros(2_000)))).build());
        assertEquals(NOW_MICROS - 2_000, begun.getReadTimestamp().getMicros());
        TransactionSelector inTxn = TransactionSelector.newBuilder().setTransactionId(begun.getTransactionId()).build();

        ReadResponse read = db.read(ReadRequest.newBuilder().setTransaction(inTxn).addKeys(bytes("a")).build());
        assertEquals(NOW_MICROS - 2_000, read.getReadTimestamp().getMicros());
        assertEquals(ReadMode.READ_MODE_AT_TIMESTAMP, groups.reads.get(0).mode());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> db.commit(CommitRequest.newBuilder()
                .setTransactionId(begun.getTransactionId()).build())));

        var strong = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions.newBuilder()
                .setReadOnly(TransactionOptions.ReadOnly.getDefaultInstance())).build());
        assertEquals(NOW_MICROS, strong.getReadTimestamp().getMicros());
        db.rollback(RollbackRequest.newBuilder().setTransactionId(strong.getTransactionId()).build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> db.rollback(RollbackRequest.newBuilder()
                .setTransactionId(strong.getTransactionId()).build())));
    }

    @Test
    void keepAliveHoldsAnIdleTransactionOpenAndFailsOnceItEnded() {
        ByteString txn = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())).build()).getTransactionId();
        KeepAliveRequest keepAlive = KeepAliveRequest.newBuilder().setTransactionId(txn).build();
        TransactionSelector inTxn = TransactionSelector.newBuilder().setTransactionId(txn).build();

        for (int i = 0; i < 3; i++) {
            registryNanos.addAndGet(Duration.ofSeconds(8).toNanos());
            db.keepAlive(keepAlive);
        }
        // 24 s after it began, 8 s idle: still open.
        registryNanos.addAndGet(Duration.ofSeconds(8).toNanos());
        db.read(ReadRequest.newBuilder().setTransaction(inTxn).addKeys(bytes("a")).build());

        registryNanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertEquals(Status.Code.NOT_FOUND, code(() -> db.keepAlive(keepAlive)));
        assertEquals(Status.Code.NOT_FOUND, code(() -> db.keepAlive(KeepAliveRequest.getDefaultInstance())));
    }

    @Test
    void aTransactionThatReadAndWroteNothingCommitsTrivially() {
        ByteString txn = db.beginTransaction(BeginTransactionRequest.newBuilder().setOptions(TransactionOptions
                .newBuilder().setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())).build()).getTransactionId();

        long before = System.currentTimeMillis() * 1000;
        long ts = db.commit(CommitRequest.newBuilder().setTransactionId(txn).build()).getCommitTimestamp().getMicros();

        assertTrue(ts >= before && ts < (System.currentTimeMillis() + 1) * 1000,
                "committed at the gateway's TrueTime, after commit wait: " + ts);
        assertEquals(List.of(), groups.steps);
    }

    @Test
    void changeStreamsAreNotServedYet() {
        Iterator<?> stream = db.watchChanges(WatchChangesRequest.getDefaultInstance());
        assertEquals(Status.Code.UNIMPLEMENTED, code(stream::hasNext));
    }
}
