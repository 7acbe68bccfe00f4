package io.meridian.bench.ratis;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * Write loops against one Ratis group, each bounded by a duration: one client writing
 * sequentially (each write waits for the previous one's reply), and one client keeping a fixed
 * number of asynchronous writes outstanding. Latencies go into HdrHistograms in nanoseconds
 * (3 significant digits, up to 60 s).
 */
final class LatencyProbe {

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long the async loop waits for a free slot before calling the run stalled. */
    private static final long STALL_SECONDS = 10;

    private LatencyProbe() {
    }

    /** The outcome of one measured loop. */
    record Result(String mode, int outstanding, double seconds, long ok, long errors, Histogram nanos, String note) {

        double writesPerSecond() {
            return ok / seconds;
        }

        double micros(double percentile) {
            return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getValueAtPercentile(percentile) / 1000.0;
        }

        double meanMicros() {
            return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getMean() / 1000.0;
        }

        double maxMicros() {
            return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getMaxValue() / 1000.0;
        }

        /** Several slices of the same loop as one result (histograms added, times and counts summed). */
        static Result merge(List<Result> slices) {
            Histogram h = new Histogram(HIGHEST_NANOS, 3);
            double seconds = 0;
            long ok = 0;
            long errors = 0;
            Set<String> notes = new LinkedHashSet<>();
            for (Result r : slices) {
                h.add(r.nanos);
                seconds += r.seconds;
                ok += r.ok;
                errors += r.errors;
                if (!r.note.isEmpty()) {
                    notes.add(r.note);
                }
            }
            Result first = slices.get(0);
            return new Result(first.mode, first.outstanding, seconds, ok, errors, h, String.join("; ", notes));
        }

        Json toJson() {
            return Json.obj().put("mode", mode).put("outstanding", outstanding).put("seconds", seconds)
                    .put("writes", ok).put("errors", errors).put("writes_per_s", writesPerSecond())
                    .put("p50_us", micros(50)).put("p90_us", micros(90)).put("p99_us", micros(99))
                    .put("p99_9_us", micros(99.9)).put("max_us", maxMicros()).put("mean_us", meanMicros())
                    .put("note", note.isEmpty() ? null : note);
        }
    }

    /** One write at a time for {@code duration}. */
    static Result sequential(RaftClient client, Message payload, Duration duration) {
        Histogram h = new Histogram(HIGHEST_NANOS, 3);
        long ok = 0;
        long errors = 0;
        String firstError = "";
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long now = start;
        while (now < end) {
            long t0 = System.nanoTime();
            try {
                RaftClientReply reply = client.io().send(payload);
                now = System.nanoTime();
                if (reply.isSuccess()) {
                    h.recordValue(Math.min(now - t0, HIGHEST_NANOS));
                    ok++;
                } else {
                    errors++;
                    firstError = firstError.isEmpty() ? String.valueOf(reply.getException()) : firstError;
                }
            } catch (IOException | RuntimeException e) {
                now = System.nanoTime();
                errors++;
                firstError = firstError.isEmpty() ? e.toString() : firstError;
            }
        }
        double seconds = (now - start) / 1e9;
        return new Result("seq", 1, seconds, ok, errors, h, firstError);
    }

    /**
     * {@code outstanding} asynchronous writes in flight at all times for {@code duration}; a new
     * write starts as soon as one completes. Throughput counts the writes that completed inside
     * the window; latencies are those of every write started inside it.
     */
    static Result async(RaftClient client, Message payload, int outstanding, Duration duration) {
        ConcurrentHistogram h = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        Semaphore slots = new Semaphore(outstanding);
        AtomicLong okInWindow = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        StringBuffer firstError = new StringBuffer();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        String note = "";
        try {
            while (System.nanoTime() < end) {
                if (!slots.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
                    note = "stalled: no write completed for " + STALL_SECONDS + " s";
                    break;
                }
                long t0 = System.nanoTime();
                CompletableFuture<RaftClientReply> f;
                try {
                    f = client.async().send(payload);
                } catch (RuntimeException e) {
                    slots.release();
                    errors.incrementAndGet();
                    continue;
                }
                f.whenComplete((reply, err) -> {
                    long t1 = System.nanoTime();
                    if (err == null && reply.isSuccess()) {
                        h.recordValue(Math.min(t1 - t0, HIGHEST_NANOS));
                        if (t1 < end) {
                            okInWindow.incrementAndGet();
                        }
                    } else {
                        errors.incrementAndGet();
                        if (firstError.length() == 0) {
                            firstError.append(err != null ? err : reply.getException());
                        }
                    }
                    slots.release();
                });
            }
            // Let the writes still in flight finish (they count for latency, not throughput).
            if (!slots.tryAcquire(outstanding, 30, TimeUnit.SECONDS)) {
                note = (note.isEmpty() ? "" : note + "; ") + "some writes never completed";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            note = "interrupted";
        }
        if (firstError.length() > 0) {
            note = (note.isEmpty() ? "" : note + "; ") + "first error: " + firstError;
        }
        double seconds = Math.min(System.nanoTime(), end) - start;
        return new Result("async", outstanding, seconds / 1e9, okInWindow.get(), errors.get(), h, note);
    }

    /**
     * Writes until one succeeds (the group has a leader and the client found it), for at most
     * {@code timeout}.
     *
     * @return the time it took
     */
    static Duration awaitWritable(RaftClient client, Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (client.io().send(Message.valueOf("hello")).isSuccess()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException e) {
                last = e;
            }
            RatisCluster.sleep(Duration.ofMillis(200));
        }
        throw new IOException("no successful write within " + timeout, last);
    }
}
