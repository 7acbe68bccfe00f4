package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commit latency against the number of participant groups, shaped like the Spanner paper's
 * Table 4, on a real local 3-node cluster: one single-use commit writing one 100-byte value in
 * each of {@code participants} groups (one group: the one-phase path; more: two-phase commit
 * with the first group coordinating), sent to a gateway node. Also the strong read-only
 * transaction over the same keys ({@code strongRead}): lock-free reads at one timestamp in
 * every group. Run single-threaded ({@code -t 1}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
public class MultiGroupCommitBenchmark {

    /** Groups written by each commit. */
    @Param({"1", "2", "5", "10", "25"})
    public int participants;

    private BenchCluster cluster;
    private DatabaseGrpc.DatabaseBlockingStub gateway;
    private List<String> prefixes;
    private final ByteString value = ByteString.copyFrom(new byte[100]);
    private long next;

    @Setup(Level.Trial)
    public void startCluster() throws IOException {
        cluster = BenchCluster.start(3);
        prefixes = cluster.spreadOverGroups(participants);
        gateway = cluster.database(cluster.awaitLeader(java.time.Duration.ofSeconds(60)));
    }

    @TearDown(Level.Trial)
    public void stopCluster() throws IOException {
        cluster.close();
    }

    @Benchmark
    public long commit() {
        CommitRequest.Builder commit = CommitRequest.newBuilder().setSingleUse(true);
        String suffix = Long.toString(next++ % 10_000);
        for (String prefix : prefixes) {
            commit.addMutations(Mutation.newBuilder().setPut(Mutation.Put.newBuilder()
                    .setKey(BenchCluster.bytes(prefix + suffix)).setValue(value)));
        }
        return gateway.withDeadlineAfter(30, TimeUnit.SECONDS).commit(commit.build()).getCommitTimestamp().getMicros();
    }

    @Benchmark
    public int strongRead() {
        ReadRequest.Builder read = ReadRequest.newBuilder().setTransaction(TransactionSelector.newBuilder()
                .setSingleUse(TimestampBound.newBuilder().setStrong(true)));
        for (String prefix : prefixes) {
            read.addKeys(BenchCluster.bytes(prefix + "0"));
        }
        return gateway.withDeadlineAfter(30, TimeUnit.SECONDS).read(read.build()).getRowsCount();
    }
}
