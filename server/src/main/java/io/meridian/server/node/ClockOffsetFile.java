package io.meridian.server.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A clock offset for fault injection: microseconds (an integer, maybe negative) read from a
 * file, which the node adds to its system clock ({@code --clock-offset-file}). A missing or empty
 * file means 0; a file that cannot be read or parsed keeps the last offset, and the node says so
 * once on stderr. Thread-safe.
 */
final class ClockOffsetFile implements LongSupplier {

    private final Path file;
    private volatile long offsetMicros;
    private String lastProblem;

    ClockOffsetFile(Path file) {
        this.file = file;
    }

    /** The offset last read. */
    @Override
    public long getAsLong() {
        return offsetMicros;
    }

    /** Reads the file again. */
    synchronized void reload() {
        String problem = null;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            offsetMicros = text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException missing) {
            offsetMicros = 0;
        } catch (IOException | NumberFormatException e) {
            problem = "meridian: --clock-offset-file " + file + " unreadable, keeping " + offsetMicros + " µs: " + e;
        }
        if (problem != null && !problem.equals(lastProblem)) {
            System.err.println(problem);
        }
        lastProblem = problem;
    }
}
