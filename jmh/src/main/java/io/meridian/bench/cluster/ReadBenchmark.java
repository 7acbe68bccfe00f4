package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Lock-free reads of one 100-byte key (out of {@value #KEYS}) on a real local 3-node cluster,
 * ε = 1 ms (the node default), one data group:
 * <ul>
 *   <li>{@code snapshotRead}: at a fixed past timestamp (the load's commit), at the leader;</li>
 *   <li>{@code strongRead}: a strong single-use read at the leader (its last commit timestamp,
 *       no Raft round trip when nothing is prepared);</li>
 *   <li>{@code staleFollowerRead}: bounded staleness (at most 10 s old) at a follower, which
 *       serves it from its own replica at its safe time.</li>
 * </ul>
 * {@code SampleTime} gives the latency percentiles; {@code -bm thrpt -t 16} the reads per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 15)
@Measurement(iterations = 3, time = 15)
public class ReadBenchmark {

    static final int KEYS = 1_000;
    private static final long STALENESS_MICROS = 10_000_000;

    private BenchCluster cluster;
    private DatabaseGrpc.DatabaseBlockingStub leader;
    private DatabaseGrpc.DatabaseBlockingStub follower;
    private Timestamp loadedAt;

    @Setup(Level.Trial)
    public void startCluster() throws IOException {
        cluster = BenchCluster.start(3);
        String leaderId = cluster.awaitLeader(Duration.ofSeconds(60));
        leader = cluster.database(leaderId);
        follower = cluster.database(cluster.nodeIds().stream().filter(id -> !id.equals(leaderId)).findFirst()
                .orElseThrow());
        ByteString value = ByteString.copyFrom(new byte[100]);
        for (int batch = 0; batch < KEYS; batch += 100) {
            CommitRequest.Builder load = CommitRequest.newBuilder().setSingleUse(true);
            for (int i = batch; i < batch + 100; i++) {
                load.addMutations(Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(key(i))
                        .setValue(value)));
            }
            loadedAt = leader.withDeadlineAfter(60, TimeUnit.SECONDS).commit(load.build()).getCommitTimestamp();
        }
    }

    @TearDown(Level.Trial)
    public void stopCluster() throws IOException {
        cluster.close();
    }

    private static ByteString key(int i) {
        return BenchCluster.bytes(String.format("k%05d", i));
    }

    private static ReadRequest read(TimestampBound bound) {
        return ReadRequest.newBuilder().setTransaction(TransactionSelector.newBuilder().setSingleUse(bound))
                .addKeys(key(ThreadLocalRandom.current().nextInt(KEYS))).build();
    }

    @Benchmark
    public int snapshotRead() {
        return leader.withDeadlineAfter(10, TimeUnit.SECONDS)
                .read(read(TimestampBound.newBuilder().setReadTimestamp(loadedAt).build())).getRowsCount();
    }

    @Benchmark
    public int strongRead() {
        return leader.withDeadlineAfter(10, TimeUnit.SECONDS)
                .read(read(TimestampBound.newBuilder().setStrong(true).build())).getRowsCount();
    }

    @Benchmark
    public int staleFollowerRead() {
        return follower.withDeadlineAfter(10, TimeUnit.SECONDS)
                .read(read(TimestampBound.newBuilder().setMaxStalenessMicros(STALENESS_MICROS).build()))
                .getRowsCount();
    }
}
