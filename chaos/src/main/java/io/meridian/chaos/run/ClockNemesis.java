package io.meridian.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Skews one node's clock every {@code interval} for {@code duration}, through the node's time
 * source: each node follows a file holding an offset in microseconds that it adds to its system
 * clock ({@code --clock-offset-file}, re-read every 100 ms). The offset is at most
 * {@code maxSkewMicros} either way; kept within the nodes' ε, TrueTime stays honest and every
 * guarantee must hold. Healing sets every offset back to 0.
 */
public final class ClockNemesis extends PeriodicNemesis {

    private final Map<String, Path> offsetFiles;
    private final List<String> nodes;
    private final long maxSkewMicros;

    /**
     * @param offsetFiles   each node's offset file
     * @param random        chooses nodes and offsets
     * @param interval      time between skews
     * @param duration      how long a skew lasts
     * @param maxSkewMicros the largest offset, either way
     */
    public ClockNemesis(Map<String, Path> offsetFiles, Random random, Duration interval, Duration duration,
            long maxSkewMicros) {
        super("clock", random, interval, duration);
        if (offsetFiles.isEmpty() || maxSkewMicros <= 0) {
            throw new IllegalArgumentException("a clock nemesis needs nodes and a positive skew");
        }
        this.offsetFiles = Map.copyOf(offsetFiles);
        this.nodes = new ArrayList<>(offsetFiles.keySet());
        this.nodes.sort(null);
        this.maxSkewMicros = maxSkewMicros;
    }

    @Override
    protected Fault inject() throws IOException {
        String node = nodes.get(random.nextInt(nodes.size()));
        long magnitude = maxSkewMicros / 2 + (long) (random.nextDouble() * (maxSkewMicros - maxSkewMicros / 2));
        long skew = random.nextBoolean() ? magnitude : -magnitude;
        write(offsetFiles.get(node), skew);
        return Fault.made(node + " clock " + (skew > 0 ? "+" : "") + skew + " µs");
    }

    /** Sets every node's offset back to 0. */
    @Override
    protected void heal() throws IOException {
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
