package io.meridian.chaos.run;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Moves one node's clock every {@code interval} for {@code duration}, through the node's time
 * source: each node follows a file holding an offset in microseconds that it adds to its wall
 * clock ({@code --clock-offset-file}, re-read every 100 ms). The faults take turns, starting at a
 * random one:
 * <ul>
 *   <li><em>skew</em>: the clock jumps by 0.5 to 1 times {@code maxSkewMicros} either way, within
 *       ε: every guarantee must hold;</li>
 *   <li><em>drift</em>: the clock runs fast or slow until it is that far off at the end of the
 *       fault, moving every 100 ms, within ε: every guarantee must hold;</li>
 *   <li><em>step beyond max ε</em>: the clock jumps by 2 to 6 times {@code maxEpsilonMicros} either
 *       way. The node must fence itself (gRPC health {@code NOT_SERVING}) and nothing may break;
 *       the fault's description says whether, and how soon, the node's health said so (waiting at
 *       most half the fault's duration).</li>
 * </ul>
 * Healing sets every offset back to 0.
 */
public final class ClockNemesis extends PeriodicNemesis {

    /** Every 100 ms a drifting clock moves on, as often as nodes re-read their offset. */
    private static final Duration DRIFT_STEP = Duration.ofMillis(100);
    /** What a fault description says when the node fenced itself in time. */
    public static final String FENCED = "fenced in";
    /** What a fault description says when it did not. */
    public static final String NOT_FENCED = "NOT FENCED";

    private final Map<String, Path> offsetFiles;
    private final Function<String, String> clientAddress;
    private final List<String> nodes;
    private final Duration duration;
    private final long maxSkewMicros;
    private final long maxEpsilonMicros;
    private int nextKind;
    private volatile Thread drift;

    /**
     * @param offsetFiles      each node's offset file
     * @param clientAddress    each node's client address, to ask its health
     * @param random           chooses nodes, offsets and the first kind of fault
     * @param interval         time between faults
     * @param duration         how long a fault lasts
     * @param maxSkewMicros    the largest skew or drift, either way: below the nodes' ε
     * @param maxEpsilonMicros the nodes' {@code --max-epsilon}: steps beyond it are 2 to 6 times it
     */
    public ClockNemesis(Map<String, Path> offsetFiles, Function<String, String> clientAddress, Random random,
            Duration interval, Duration duration, long maxSkewMicros, long maxEpsilonMicros) {
        super("clock", random, interval, duration);
        if (offsetFiles.isEmpty() || maxSkewMicros <= 0 || maxEpsilonMicros <= 0) {
            throw new IllegalArgumentException("a clock nemesis needs nodes, a positive skew and a positive max ε");
        }
        this.offsetFiles = Map.copyOf(offsetFiles);
        this.clientAddress = clientAddress;
        this.nodes = new ArrayList<>(offsetFiles.keySet());
        this.nodes.sort(null);
        this.duration = duration;
        this.maxSkewMicros = maxSkewMicros;
        this.maxEpsilonMicros = maxEpsilonMicros;
        this.nextKind = random.nextInt(3);
    }

    @Override
    protected Fault inject() throws IOException, InterruptedException {
        String node = nodes.get(random.nextInt(nodes.size()));
        int kind = nextKind;
        nextKind = (nextKind + 1) % 3;
        return switch (kind) {
            case 0 -> {
                long skew = signedBetween(maxSkewMicros / 2, maxSkewMicros);
                write(offsetFiles.get(node), skew);
                yield Fault.made(node + " clock " + signed(skew) + " µs");
            }
            case 1 -> {
                long target = signedBetween(maxSkewMicros / 2, maxSkewMicros);
                startDrift(offsetFiles.get(node), target);
                yield Fault.made(node + " clock drifting to " + signed(target) + " µs");
            }
            default -> {
                long step = signedBetween(2 * maxEpsilonMicros, 6 * maxEpsilonMicros);
                write(offsetFiles.get(node), step);
                Optional<Duration> fenced = NodeHealth.await(clientAddress.apply(node), ServingStatus.NOT_SERVING,
                        duration.dividedBy(2));
                yield Fault.made(node + " clock stepped " + signed(step) + " µs (beyond max ε): "
                        + fenced.map(took -> FENCED + " " + took.toMillis() + " ms")
                                .orElse(NOT_FENCED + " within " + duration.dividedBy(2).toMillis() + " ms"));
            }
        };
    }

    private long signedBetween(long low, long high) {
        long magnitude = low + (long) (random.nextDouble() * (high - low));
        return random.nextBoolean() ? magnitude : -magnitude;
    }

    private static String signed(long micros) {
        return (micros > 0 ? "+" : "") + micros;
    }

    /** Moves the offset in {@code file} from 0 to {@code target} over the fault's duration. */
    private void startDrift(Path file, long target) {
        long steps = Math.max(1, duration.toMillis() / DRIFT_STEP.toMillis());
        drift = Thread.ofVirtual().name("clock-drift").start(() -> {
            try {
                for (long step = 1; step <= steps; step++) {
                    write(file, target * step / steps);
                    Thread.sleep(DRIFT_STEP.toMillis());
                }
            } catch (InterruptedException healed) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Stops a drift in progress and sets every node's offset back to 0. */
    @Override
    protected void heal() throws IOException, InterruptedException {
        Thread drifting = drift;
        if (drifting != null) {
            drifting.interrupt();
            drifting.join();
            drift = null;
        }
        for (Path file : offsetFiles.values()) {
            write(file, 0);
        }
    }

    /** Replaces the file's content in one step, so a node never reads half a number. */
    static void write(Path file, long offsetMicros) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, Long.toString(offsetMicros));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
