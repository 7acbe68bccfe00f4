package io.meridian.server.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of one node process: started with its output appended to the node's log file, watched
 * until it prints its serving line, and stopped or killed with bounded waits. A restart is a new
 * {@code NodeProcess} on the same log file.
 *
 * <p>Not thread-safe except {@link #destroyNow()}, which the shutdown hook may call at any time.
 */
final class NodeProcess {

    /** How long to wait for the OS to reap a process after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int TAIL_LINES = 40;
    private static final int TAIL_BYTES_MAX = 64 * 1024;

    private final NodeSpec spec;
    private final Process process;
    private final Path logFile;
    private final long logStartOffset;
    private long scannedOffset;
    private String servingLine = "";

    private NodeProcess(NodeSpec spec, Process process, Path logFile, long logStartOffset) {
        this.spec = spec;
        this.process = process;
        this.logFile = logFile;
        this.logStartOffset = logStartOffset;
        this.scannedOffset = logStartOffset;
    }

    /**
     * Starts a node process. Its stdout and stderr are appended to {@code logFile}, after a header
     * line naming the node and the command; its stdin is a pipe nobody writes to.
     *
     * @param spec       the node
     * @param command    the full command line
     * @param workingDir the process's working directory
     * @param logFile    the node's log
     * @return the started process
     * @throws IOException if the log cannot be written or the process cannot start
     */
    static NodeProcess launch(NodeSpec spec, List<String> command, Path workingDir, Path logFile) throws IOException {
        String header = "---- " + Instant.now() + " meridian local: starting " + spec.id() + ": "
                + String.join(" ", abbreviateClassPath(command)) + System.lineSeparator();
        Files.writeString(logFile, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long offset = Files.size(logFile);
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new NodeProcess(spec, process, logFile, offset);
    }

    /** @return the node this process runs */
    NodeSpec spec() {
        return spec;
    }

    /** @return the operating-system process id */
    long pid() {
        return process.pid();
    }

    /** @return whether the process is still running */
    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the serving line the node printed, or empty before it did */
    String servingLine() {
        return servingLine;
    }

    /**
     * Waits until the node prints {@code meridian node <id> serving on ...}.
     *
     * @param deadlineNanos the {@link System#nanoTime()} to give up at
     * @throws IOException if the process exits first or the deadline passes (the message
     *                     carries the end of the node's log); the process is left as it is
     */
    void awaitServing(long deadlineNanos) throws IOException {
        String marker = "meridian node " + spec.id() + " serving on ";
        while (true) {
            boolean exited = !process.isAlive();
            String line = scanFor(marker);
            if (!line.isEmpty() && !exited) {
                servingLine = line;
                return;
            }
            if (exited) {
                throw new IOException("node " + spec.id() + " exited with code " + process.exitValue()
                        + " before serving; the end of " + logFile + ":\n" + logTail());
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IOException("node " + spec.id() + " did not print its serving line in time; the end of "
                        + logFile + ":\n" + logTail());
            }
            sleep(POLL_INTERVAL);
        }
    }

    /**
     * Stops the process with SIGTERM, waits up to {@code timeout}, then kills it with SIGKILL.
     *
     * @param timeout how long a graceful stop may take
     * @return true if it stopped by itself, false if it had to be killed
     * @throws IOException if it is still alive even after SIGKILL and {@link #KILL_WAIT}
     */
    boolean stop(Duration timeout) throws IOException {
        process.destroy();
        if (waitFor(timeout)) {
            return true;
        }
        kill();
        return false;
    }

    /**
     * Kills the process with SIGKILL and waits until it is gone.
     *
     * @throws IOException if it is still alive after {@link #KILL_WAIT}
     */
    void kill() throws IOException {
        process.destroyForcibly();
        if (!waitFor(KILL_WAIT)) {
            throw new IOException("node " + spec.id() + " (pid " + pid() + ") is still alive after SIGKILL");
        }
    }

    /** Sends SIGTERM without waiting (the shutdown hook's first step). */
    void terminateNow() {
        process.destroy();
    }

    /** Sends SIGKILL without waiting. Safe from any thread. */
    void destroyNow() {
        process.destroyForcibly();
    }

    /**
     * Waits for the process to exit.
     *
     * @param timeout the bound
     * @return whether it exited in time
     * @throws InterruptedIOException if the waiting thread is interrupted
     */
    boolean waitFor(Duration timeout) throws InterruptedIOException {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for node " + spec.id());
        }
    }

    /**
     * The last lines this run wrote to the log.
     *
     * @return up to {@value #TAIL_LINES} lines, each indented, or a note when there are none
     */
    String logTail() {
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            long size = channel.size();
            long from = Math.max(logStartOffset, size - TAIL_BYTES_MAX);
            String text = read(channel, from, size);
            List<String> lines = new ArrayList<>(List.of(text.split("\\R")));
            lines.removeIf(String::isBlank);
            if (lines.isEmpty()) {
                return "    (it printed nothing)";
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "    " + String.join("\n    ", tail);
        } catch (IOException e) {
            return "    (cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Reads the complete lines written since the last scan; returns the first holding the marker. */
    private String scanFor(String marker) throws IOException {
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= scannedOffset) {
                return "";
            }
            byte[] bytes = readBytes(channel, scannedOffset, size);
            int lastNewline = bytes.length - 1;
            while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
                lastNewline--;
            }
            if (lastNewline < 0) {
                return "";
            }
            // Only complete lines count; a partly written line is read again by the next scan.
            scannedOffset += lastNewline + 1;
            String complete = new String(bytes, 0, lastNewline + 1, StandardCharsets.UTF_8);
            for (String line : complete.split("\\R")) {
                if (line.contains(marker)) {
                    return line.strip();
                }
            }
            return "";
        }
    }

    private static String read(FileChannel channel, long from, long to) throws IOException {
        return new String(readBytes(channel, from, to), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(TAIL_BYTES_MAX * 16L, to - from));
        long position = from;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static List<String> abbreviateClassPath(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        int cp = shown.indexOf("-cp");
        if (cp >= 0 && cp + 1 < shown.size()) {
            int entries = shown.get(cp + 1).split(java.io.File.pathSeparator).length;
            shown.set(cp + 1, "<" + entries + " class path entries>");
        }
        return shown;
    }

    private void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for node " + spec.id() + " to serve");
        }
    }
}
