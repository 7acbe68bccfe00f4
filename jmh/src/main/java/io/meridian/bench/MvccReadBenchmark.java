package io.meridian.bench;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import java.util.Optional;
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
 * Snapshot reads on a 1,000,000-key LMDB store (100-byte values): a point read of a random key
 * at the latest timestamp (target on the dev box: under 2 µs), a point read at an older
 * snapshot, and 100-row scans forward and backward from a random key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MvccReadBenchmark {

    @Param("1000000")
    public int keys;

    private MvccStoreFixture fixture;
    private Timestamp midTs;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        fixture = new MvccStoreFixture(keys, 100);
        midTs = Timestamp.ofMicros(fixture.latestTs().micros() / 2);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    /** A pseudo-random key index: a multiplicative step over the key space, no Random call. */
    private int nextIndex() {
        next = (next + 0x9E3779B1) & Integer.MAX_VALUE;
        return next % keys;
    }

    @Benchmark
    public Optional<Version> pointReadLatest() {
        return fixture.store.get(fixture.keys[nextIndex()], Timestamp.MAX);
    }

    @Benchmark
    public Optional<Version> pointReadSnapshot() {
        return fixture.store.get(fixture.keys[nextIndex()], midTs);
    }

    @Benchmark
    public ScanResult scan100Forward() {
        ByteString start = fixture.keys[nextIndex()];
        return fixture.store.scan(KeySpan.from(start), Timestamp.MAX, 100, ScanDirection.FORWARD);
    }

    @Benchmark
    public ScanResult scan100Reverse() {
        ByteString end = fixture.keys[nextIndex()];
        return fixture.store.scan(new KeySpan(ByteString.EMPTY, end), Timestamp.MAX, 100, ScanDirection.REVERSE);
    }
}
