package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.Mutation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Single-group commit latency on a real local 3-node cluster: one single-use commit of one
 * 100-byte put, sent to the data group's leader (as a leader-aware client would), acknowledged
 * after replication to a majority and commit wait. Run with {@code -t 1} and {@code -t 32} for
 * 1 and 32 concurrent clients; {@code epsilon} is the nodes' fixed TrueTime uncertainty, so the
 * commit-wait share shows as the difference between its values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 20)
@Measurement(iterations = 3, time = 20)
public class SingleGroupCommitBenchmark {

    /** The nodes' fixed TrueTime uncertainty. */
    @Param({"0ms", "1ms", "4ms"})
    public String epsilon;

    private BenchCluster cluster;
    private DatabaseGrpc.DatabaseBlockingStub leader;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void startCluster() throws IOException {
        cluster = BenchCluster.start(3, "--epsilon", epsilon);
        leader = cluster.database(cluster.awaitLeader(java.time.Duration.ofSeconds(60)));
    }

    @TearDown(Level.Trial)
    public void stopCluster() throws IOException {
        cluster.close();
    }

    /** Each benchmark thread writes its own keys, so commits never conflict. */
    @State(Scope.Thread)
    public static class Writer {
        private String prefix;
        private long next;
        private final ByteString value = ByteString.copyFrom(new byte[100]);

        @Setup(Level.Trial)
        public void name(SingleGroupCommitBenchmark bench) {
            prefix = "bench/" + bench.threads.incrementAndGet() + "/";
        }

        CommitRequest nextCommit() {
            ByteString key = ByteString.copyFrom(prefix + (next++ % 100_000), StandardCharsets.UTF_8);
            return CommitRequest.newBuilder().setSingleUse(true)
                    .addMutations(Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(key).setValue(value)))
                    .build();
        }
    }

    @Benchmark
    public long commit(Writer writer) {
        return leader.withDeadlineAfter(10, TimeUnit.SECONDS).commit(writer.nextCommit())
                .getCommitTimestamp().getMicros();
    }
}
