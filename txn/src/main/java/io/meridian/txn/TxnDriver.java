package io.meridian.txn;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.SnapshotRead;
import io.meridian.api.internal.v1.StrongReadTimestamp;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.groups.ReadResult;
import io.meridian.groups.ReadSpec;
import io.meridian.storage.GroupId;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.TxnId;
import io.meridian.storage.Version;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.TrueTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * The gateway side of transactions: begins read-write transactions ({@link ReadWriteTxn}) and
 * serves read-only ones (strong read timestamps and lock-free snapshot reads), reaching each
 * group's leader through a {@link TxnTransport}. A read that spans groups is cut at range
 * boundaries by the {@link KeyRouter} and stitched back in key order.
 *
 * <p>Thread-safe. Plain protocol code: it takes its clock, scheduler, router and transport as
 * seams, so the simulator runs it unchanged.
 */
public final class TxnDriver {

    private final TrueTime trueTime;
    private final Scheduler scheduler;
    private final KeyRouter router;
    private final TxnTransport transport;
    private final TxnOptions options;
    private final RandomGenerator ids;

    /**
     * A driver drawing transaction ids from {@code ids}: a {@code SecureRandom} in a node, a
     * seeded generator in the simulator (runs repeat exactly).
     */
    public TxnDriver(TrueTime trueTime, Scheduler scheduler, KeyRouter router, TxnTransport transport,
            TxnOptions options, RandomGenerator ids) {
        this.trueTime = Objects.requireNonNull(trueTime, "trueTime");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.router = Objects.requireNonNull(router, "router");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.options = Objects.requireNonNull(options, "options");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /**
     * Begins a read-write transaction with {@code priorityMicros} (a retry passes its first
     * attempt's), or this moment's {@code TT.now().latest} when empty.
     */
    public ReadWriteTxn begin(OptionalLong priorityMicros) {
        TxnId id;
        synchronized (ids) {
            id = new TxnId(ids.nextLong(), ids.nextLong());
        }
        long priority = priorityMicros.orElseGet(() -> trueTime.now().latestMicros());
        return new ReadWriteTxn(this, id, priority);
    }

    /**
     * The timestamp a strong read-only transaction reading {@code reads} reads at: the group's
     * own choice when they all lie in one group (its last commit, when nothing is prepared
     * there), otherwise {@code TT.now().latest}.
     */
    public CompletableFuture<Timestamp> strongReadTimestamp(List<ReadSpec> reads) {
        try {
            Set<GroupId> groups = new LinkedHashSet<>();
            for (ReadSpec read : reads) {
                groups.addAll(groupsOf(read));
            }
            if (groups.size() != 1) {
                return CompletableFuture.completedFuture(trueTime.now().latest());
            }
            GroupId group = groups.iterator().next();
            return transport.send(TxnRequest.newBuilder().setGroupId(group.value())
                            .setStrongReadTs(StrongReadTimestamp.getDefaultInstance()).build())
                    .thenApply(reply -> new Timestamp(reply.getReadTs().getReadTsMicros()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A lock-free read of {@code spec} at exactly {@code readTs}, at each group's leader once
     * its {@code t_safe} reaches it.
     */
    public CompletableFuture<ReadResult> snapshotRead(ReadSpec spec, Timestamp readTs) {
        return readAcross(spec, (group, piece) -> transport.send(TxnRequest.newBuilder().setGroupId(group.value())
                        .setSnapshotRead(SnapshotRead.newBuilder().setReadTsMicros(readTs.micros())
                                .setSpec(TxnWire.lockingRead(piece))
                                .setMaxWaitMicros(options.micros(options.readWaitMax())))
                        .build())
                .thenApply(reply -> TxnWire.readResult(reply.getRead())));
    }

    // ---- shared with ReadWriteTxn

    /** Completes with {@code ts} once {@code TT.after(ts)}: commit wait. */
    CompletableFuture<Timestamp> waitUntilAfter(Timestamp ts) {
        CompletableFuture<Timestamp> done = new CompletableFuture<>();
        checkAfter(ts, done);
        return done;
    }

    private void checkAfter(Timestamp ts, CompletableFuture<Timestamp> done) {
        long earliest = trueTime.now().earliestMicros();
        if (earliest > ts.micros()) {
            done.complete(ts);
            return;
        }
        scheduler.schedule(() -> checkAfter(ts, done), ts.micros() - earliest + 1);
    }

    TrueTime trueTime() {
        return trueTime;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    KeyRouter router() {
        return router;
    }

    TxnTransport transport() {
        return transport;
    }

    TxnOptions options() {
        return options;
    }

    /** The groups a read touches. */
    Set<GroupId> groupsOf(ReadSpec spec) {
        Set<GroupId> groups = new LinkedHashSet<>();
        switch (spec) {
            case ReadSpec.Keys keys -> keys.keys().forEach(key -> groups.add(router.groupOf(key)));
            case ReadSpec.Span span -> router.pieces(span.span()).forEach(piece -> groups.add(piece.group()));
        }
        return groups;
    }

    /**
     * Reads {@code spec} group by group through {@code readPiece}: point keys from every group
     * at once, returned in the order asked; a span piece by piece in scan order until the limit,
     * with a resume key when it stops early. The result's timestamp is the highest piece's.
     */
    CompletableFuture<ReadResult> readAcross(ReadSpec spec,
            BiFunction<GroupId, ReadSpec, CompletableFuture<ReadResult>> readPiece) {
        try {
            return switch (spec) {
                case ReadSpec.Keys keys -> readKeys(keys, readPiece);
                case ReadSpec.Span span -> {
                    List<KeyRouter.Piece> pieces = new ArrayList<>(router.pieces(span.span()));
                    if (span.direction() == ScanDirection.REVERSE) {
                        Collections.reverse(pieces);
                    }
                    yield readPieces(span, pieces, 0, new ArrayList<>(), Timestamp.MIN, readPiece);
                }
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<ReadResult> readKeys(ReadSpec.Keys keys,
            BiFunction<GroupId, ReadSpec, CompletableFuture<ReadResult>> readPiece) {
        Map<GroupId, List<ByteString>> byGroup = new LinkedHashMap<>();
        for (ByteString key : keys.keys()) {
            byGroup.computeIfAbsent(router.groupOf(key), g -> new ArrayList<>()).add(key);
        }
        List<CompletableFuture<ReadResult>> reads = new ArrayList<>();
        byGroup.forEach((group, groupKeys) -> reads.add(readPiece.apply(group, new ReadSpec.Keys(groupKeys))));
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<ByteString, Version> found = new HashMap<>();
            Timestamp readTs = Timestamp.MIN;
            for (CompletableFuture<ReadResult> read : reads) {
                ReadResult result = read.join();
                result.rows().forEach(row -> found.put(row.key(), row));
                readTs = Timestamp.max(readTs, result.readTs());
            }
            List<Version> rows = new ArrayList<>();
            for (ByteString key : keys.keys()) {
                Version row = found.get(key);
                if (row != null) {
                    rows.add(row);
                }
            }
            return new ReadResult(rows, readTs, Optional.empty());
        });
    }

    private CompletableFuture<ReadResult> readPieces(ReadSpec.Span span, List<KeyRouter.Piece> pieces, int index,
            List<Version> rows, Timestamp readTs, BiFunction<GroupId, ReadSpec, CompletableFuture<ReadResult>> readPiece) {
        if (index >= pieces.size()) {
            return CompletableFuture.completedFuture(new ReadResult(rows, readTs, Optional.empty()));
        }
        KeyRouter.Piece piece = pieces.get(index);
        int limit = span.limit() - rows.size();
        return readPiece.apply(piece.group(), new ReadSpec.Span(piece.span(), limit, span.direction()))
                .thenCompose(result -> {
                    rows.addAll(result.rows());
                    Timestamp ts = Timestamp.max(readTs, result.readTs());
                    if (result.resumeKey().isPresent()) {
                        return CompletableFuture.completedFuture(new ReadResult(rows, ts, result.resumeKey()));
                    }
                    if (rows.size() >= span.limit() && index + 1 < pieces.size()) {
                        // The piece is complete: continue at the next piece (forward) or below the last row.
                        ByteString resume = span.direction() == ScanDirection.REVERSE
                                ? rows.get(rows.size() - 1).key() : piece.span().end();
                        return CompletableFuture.completedFuture(new ReadResult(rows, ts, Optional.of(resume)));
                    }
                    return readPieces(span, pieces, index + 1, rows, ts, readPiece);
                });
    }
}
