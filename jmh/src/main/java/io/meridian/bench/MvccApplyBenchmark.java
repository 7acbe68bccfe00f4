package io.meridian.bench;

import com.google.protobuf.ByteString;
import io.meridian.storage.ApplyResult;
import io.meridian.storage.WriteBatch;
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
 * Applying one write batch (one LMDB write transaction with the group's applied index) of 1,
 * 10 or 100 puts of random keys into a store preloaded with 100,000 keys, sync-on-commit off.
 * Sample mode, so the percentiles show the occasional LMDB page split or map growth.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MvccApplyBenchmark {

    private static final int PRELOADED_KEYS = 100_000;

    @Param({"1", "10", "100"})
    public int mutationsPerBatch;

    private MvccStoreFixture fixture;
    private ByteString value;
    private ByteString[] keySpace;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        fixture = new MvccStoreFixture(PRELOADED_KEYS, 100);
        value = ByteString.copyFrom(new byte[100]);
        // Twice the preloaded keys, so batches both overwrite and grow the store as a live
        // workload does; keys are made here so the benchmark measures the apply alone.
        keySpace = new ByteString[PRELOADED_KEYS * 2];
        for (int i = 0; i < keySpace.length; i++) {
            keySpace[i] = MvccStoreFixture.key(i);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public ApplyResult applyBatch() {
        WriteBatch.Builder batch = fixture.nextBatch();
        for (int i = 0; i < mutationsPerBatch; i++) {
            next = (next + 0x9E3779B1) & Integer.MAX_VALUE;
            batch.put(keySpace[next % keySpace.length], value);
        }
        return fixture.store.apply(batch.build());
    }
}
