package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.BeginTransactionRequest;
import io.meridian.api.v1.BeginTransactionResponse;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TransactionOptions;
import io.meridian.api.v1.TransactionSelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The abort rate of read-write transactions under contention on a real local 3-node cluster:
 * every benchmark thread runs transfers between two of {@code 4} hot accounts spread over 2
 * groups (locking reads, then a two- or one-phase commit), retrying an aborted transaction with
 * its first priority. JMH reports transfers per second ({@code transfer}) and the auxiliary
 * counters {@code committed} and {@code aborted} (attempts that ended {@code ABORTED}); the abort
 * rate is {@code aborted / (committed + aborted)}. Run with {@code -t 8}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class ContendedTransfersBenchmark {

    private static final int ACCOUNTS = 4;

    private BenchCluster cluster;
    private List<String> prefixes;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void startCluster() throws IOException {
        cluster = BenchCluster.start(3);
        prefixes = cluster.spreadOverGroups(2);
        DatabaseGrpc.DatabaseBlockingStub db = cluster.database(cluster.nodeIds().get(0));
        CommitRequest.Builder init = CommitRequest.newBuilder().setSingleUse(true);
        for (int a = 0; a < ACCOUNTS; a++) {
            init.addMutations(put(account(a), "1000000"));
        }
        db.withDeadlineAfter(30, TimeUnit.SECONDS).commit(init.build());
    }

    @TearDown(Level.Trial)
    public void stopCluster() throws IOException {
        cluster.close();
    }

    /** Outcomes of the attempts of one thread, summed by JMH. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Attempts {
        public long committed;
        public long aborted;
        DatabaseGrpc.DatabaseBlockingStub db;

        @Setup(Level.Trial)
        public void connect(ContendedTransfersBenchmark bench) {
            List<String> nodes = bench.cluster.nodeIds();
            db = bench.cluster.database(nodes.get(bench.threads.getAndIncrement() % nodes.size()));
        }
    }

    @Benchmark
    public void transfer(Attempts attempts) {
        int from = ThreadLocalRandom.current().nextInt(ACCOUNTS);
        int to = (from + 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        Timestamp priority = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            TransactionOptions.ReadWrite.Builder options = TransactionOptions.ReadWrite.newBuilder();
            if (priority != null) {
                options.setPriority(priority);
            }
            BeginTransactionResponse begun = attempts.db.withDeadlineAfter(10, TimeUnit.SECONDS).beginTransaction(
                    BeginTransactionRequest.newBuilder().setOptions(TransactionOptions.newBuilder()
                            .setReadWrite(options)).build());
            priority = begun.getPriority();
            try {
                long a = read(attempts.db, begun.getTransactionId(), account(from));
                long b = read(attempts.db, begun.getTransactionId(), account(to));
                attempts.db.withDeadlineAfter(10, TimeUnit.SECONDS).commit(CommitRequest.newBuilder()
                        .setTransactionId(begun.getTransactionId())
                        .addMutations(put(account(from), Long.toString(a - 1)))
                        .addMutations(put(account(to), Long.toString(b + 1))).build());
                attempts.committed++;
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ABORTED) {
                    throw e;
                }
                attempts.aborted++;
            }
        }
        throw new IllegalStateException("a transfer aborted 100 times in a row");
    }

    private String account(int a) {
        return prefixes.get(a % prefixes.size()) + "acct" + a;
    }

    private static long read(DatabaseGrpc.DatabaseBlockingStub db, ByteString txn, String key) {
        ReadResponse response = db.withDeadlineAfter(10, TimeUnit.SECONDS).read(ReadRequest.newBuilder()
                .setTransaction(TransactionSelector.newBuilder().setTransactionId(txn))
                .addKeys(BenchCluster.bytes(key)).build());
        return Long.parseLong(response.getRows(0).getValue().toString(StandardCharsets.UTF_8));
    }

    private static Mutation put(String key, String value) {
        return Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(BenchCluster.bytes(key))
                .setValue(BenchCluster.bytes(value))).build();
    }
}
