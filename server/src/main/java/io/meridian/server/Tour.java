package io.meridian.server;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.LimitExceededException;
import io.meridian.storage.MvccStore;
import io.meridian.storage.ReadBelowHorizonException;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.Version;
import io.meridian.storage.WriteBatch;
import io.meridian.storage.lmdb.LmdbMvccStore;
import io.meridian.storage.lmdb.LmdbOptions;
import io.meridian.truetime.CommitWait;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.Timestamp;
import io.meridian.truetime.system.ExecutorScheduler;
import io.meridian.truetime.system.SystemTimeSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A guided tour of the layers that exist before the cluster does: TrueTime with commit wait,
 * and the MVCC store on LMDB (snapshot reads, scans, delete-range, GC horizon, span snapshots,
 * limits). It plays a one-node group leader by hand: picks commit timestamps
 * {@code max(TT.now().latest, last + 1)}, applies each batch with its log index, and waits out
 * the uncertainty before reporting the commit, as DESIGN.md's commit rule says.
 *
 * <p>Not thread-safe; one tour at a time.
 */
final class Tour {

    private static final GroupId GROUP = new GroupId(1);
    private static final Duration EPSILON = Duration.ofMillis(1);

    private final PrintStream out;
    private final SystemTimeSource trueTime = new SystemTimeSource(EPSILON);
    private long logIndex;
    private Timestamp lastCommit = Timestamp.MIN;

    Tour(PrintStream out) {
        this.out = out;
    }

    /** Runs the tour with its stores under {@code dir}. */
    void run(Path dir) throws Exception {
        TTInterval now = trueTime.now();
        out.printf("TrueTime (system clock, configured epsilon %d us): now = [%d, %d]%n",
                EPSILON.toNanos() / 1000, now.earliestMicros(), now.latestMicros());
        try (ExecutorScheduler scheduler = new ExecutorScheduler("tour-commit-wait");
             LmdbMvccStore store = LmdbMvccStore.open(dir.resolve("node-a"), LmdbOptions.defaults())) {
            CommitWait commitWait = new CommitWait(trueTime, scheduler);
            out.println("\n-- commits (timestamp = max(TT.now().latest, last + 1), acknowledged after commit wait)");
            Timestamp t1 = commit(store, commitWait, "open accounts", b -> b
                    .put(bytes("acct/alice"), bytes("100"))
                    .put(bytes("acct/bob"), bytes("50"))
                    .put(bytes("acct/carol"), bytes("10")));
            Timestamp t2 = commit(store, commitWait, "alice pays bob 30", b -> b
                    .put(bytes("acct/alice"), bytes("70"))
                    .put(bytes("acct/bob"), bytes("80")));
            Timestamp t3 = commit(store, commitWait, "close every account from carol on", b -> b
                    .deleteRange(bytes("acct/carol"), bytes("acct/zzz")));

            out.println("\n-- snapshot reads: a version written at t is invisible below t");
            read(store, "acct/alice", t1.previous(), "just before t1");
            read(store, "acct/alice", t1, "t1");
            read(store, "acct/alice", t2, "t2");
            scan(store, t2, ScanDirection.FORWARD, "all accounts at t2");
            scan(store, t3, ScanDirection.FORWARD, "all accounts at t3");
            scan(store, t2, ScanDirection.REVERSE, "all accounts at t2, newest key first");

            out.println("\n-- version GC below a watermark keeps the newest version at or below it");
            store.collectGarbage(t2);
            out.printf("GC horizon is now %s%n", store.gcHorizon());
            read(store, "acct/alice", t2, "t2 (the horizon)");
            try {
                store.get(bytes("acct/alice"), t1);
                out.println("UNEXPECTED: a read below the GC horizon succeeded");
            } catch (ReadBelowHorizonException e) {
                out.println("read at t1 refused: " + e.getMessage());
            }

            out.println("\n-- a span snapshot (what a Raft snapshot of a range carries) into a second store");
            copySpan(store, dir.resolve("node-b"), t3);

            out.println("\n-- limits are refused with the limit's name, and nothing is written");
            try {
                commit(store, commitWait, "a 481-byte key", b -> b.put(ByteString.copyFrom(new byte[481]), bytes("x")));
            } catch (LimitExceededException e) {
                out.println("refused: " + e.getMessage());
            }
            out.printf("applied index is still %d%n", store.appliedIndex(GROUP));
        }
    }

    private Timestamp commit(MvccStore store, CommitWait commitWait, String what, Consumer<WriteBatch.Builder> writes) {
        TTInterval chosenAt = trueTime.now();
        Timestamp ts = Timestamp.max(chosenAt.latest(), lastCommit.next());
        WriteBatch.Builder batch = WriteBatch.builder(GROUP, logIndex + 1).commitTs(ts);
        writes.accept(batch);
        store.apply(batch.build());
        logIndex++;
        lastCommit = ts;
        // The write and the commit wait overlap: the wait counts from the moment s was chosen.
        commitWait.waitUntilAfter(ts).join();
        long ackMicros = Math.max(0, trueTime.now().earliestMicros() - chosenAt.earliestMicros());
        out.printf("committed \"%s\" at %s (log index %d), acknowledged %d us after s was chosen%n",
                what, ts, logIndex, ackMicros);
        return ts;
    }

    private void read(MvccStore store, String key, Timestamp at, String label) {
        String value = store.get(bytes(key), at).map(v -> v.value().toStringUtf8()).orElse("<none>");
        out.printf("%s at %s = %s%n", key, label, value);
    }

    private void scan(MvccStore store, Timestamp at, ScanDirection direction, String label) {
        var rows = store.scan(KeySpan.ALL, at, 100, direction).rows();
        out.printf("%s: %s%n", label, render(rows));
    }

    private void copySpan(MvccStore source, Path targetDir, Timestamp at) throws Exception {
        KeySpan span = new KeySpan(bytes("acct/"), bytes("acct0"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long appliedIndex;
        try (SpanSnapshot snapshot = source.exportSpan(GROUP, span)) {
            snapshot.writeTo(buffer);
            appliedIndex = snapshot.appliedIndex();
        }
        try (LmdbMvccStore target = LmdbMvccStore.open(targetDir, LmdbOptions.defaults())) {
            target.importSpan(GROUP, span, new ByteArrayInputStream(buffer.toByteArray()));
            out.printf("exported %s at applied index %d (%d bytes); the copy has applied index %d%n",
                    span, appliedIndex, buffer.size(), target.appliedIndex(GROUP));
            out.printf("copy at t3: %s%n", render(target.scan(span, at, 100, ScanDirection.FORWARD).rows()));
        }
    }

    private static String render(java.util.List<Version> rows) {
        return rows.stream()
                .map(v -> v.key().toStringUtf8() + "=" + v.value().toStringUtf8() + "@" + v.ts())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
