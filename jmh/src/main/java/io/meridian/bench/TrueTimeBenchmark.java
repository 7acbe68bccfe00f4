package io.meridian.bench;

import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TrueTime;
import io.meridian.truetime.system.SystemTimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of asking TrueTime for the current interval on the system-clock source, which every
 * commit and strong read pays at least once. Target on the 2-core dev box: under 100 ns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrueTimeBenchmark {

    private final TrueTime trueTime = new SystemTimeSource(Duration.ofMillis(1));

    /** One {@code now()} call; the interval is returned so JMH keeps it. */
    @Benchmark
    public TTInterval now() {
        return trueTime.now();
    }
}
