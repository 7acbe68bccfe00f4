package io.meridian.chaos.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one {@link Connection}: a reader thread that reads chunks from the sender
 * and applies the direction's {@link LinkFaults}, a delay line, and a writer thread that
 * releases each chunk to the receiver at its due time.
 *
 * <p>Due times never decrease along the delay line, so chunks (and the final FIN) leave in
 * the order they arrived whatever the jitter. The delay line holds at most
 * {@value #DELAY_LINE_CHUNKS_MAX} chunks; when it is full (a long delay, or a blackhole holding
 * everything back) the reader stops reading and TCP flow control pushes back on the sender.
 */
final class Pump {

    /** The largest chunk read at once; faults are decided per chunk. */
    static final int CHUNK_BYTES_MAX = 16 * 1024;

    /** The most chunks held in one delay line (so at most 4 MiB per direction). */
    static final int DELAY_LINE_CHUNKS_MAX = 256;

    /** Bytes to forward at {@code dueNanos}, or the FIN if {@code bytes} is null. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private final Connection connection;
    private final Direction direction;
    private final Socket from;
    private final Socket to;
    private final Link.DirectionCounters counters;
    private final BlockingQueue<Chunk> delayLine = new ArrayBlockingQueue<>(DELAY_LINE_CHUNKS_MAX);
    /** The due time of the last chunk put on the delay line; the reader thread's alone. */
    private long lastDueNanos = Long.MIN_VALUE;

    Pump(Connection connection, Direction direction, Socket from, Socket to) {
        this.connection = connection;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.counters = connection.link().counters(direction);
    }

    void start() {
        String way = direction.name().toLowerCase();
        connection.spawn(way + "-read", this::readLoop);
        connection.spawn(way + "-write", this::writeLoop);
    }

    private void readLoop() {
        Link link = connection.link();
        byte[] buffer = new byte[CHUNK_BYTES_MAX];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                int count = in.read(buffer);
                LinkFaults faults = link.faults(direction);
                if (count < 0) {
                    delayLine.put(new Chunk(null, dueNanos(faults)));
                    return;
                }
                double probability = faults.resetProbability();
                if (probability > 0.0 && link.random().nextDouble() < probability) {
                    connection.injectReset(direction);
                    return;
                }
                delayLine.put(new Chunk(Arrays.copyOf(buffer, count), dueNanos(faults)));
            }
        } catch (IOException e) {
            connection.failed(e);
        } catch (InterruptedException e) {
            // Interrupted only by Connection.abort: the connection is closed already.
        }
    }

    private long dueNanos(LinkFaults faults) {
        long holdNanos = faults.delay().toNanos();
        long jitterNanos = faults.jitter().toNanos();
        if (jitterNanos > 0) {
            holdNanos += connection.link().random().nextLong(jitterNanos + 1);
        }
        long due = System.nanoTime() + holdNanos;
        // Compared as a difference, as nanoTime values must be.
        if (lastDueNanos != Long.MIN_VALUE && due - lastDueNanos < 0) {
            due = lastDueNanos;
        }
        lastDueNanos = due;
        return due;
    }

    private void writeLoop() {
        Link link = connection.link();
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = delayLine.take();
                sleepUntil(chunk.dueNanos());
                // Like a cut network under TCP: nothing gets through, nothing is lost, and what
                // waited (the FIN too) leaves in order once the blackhole lifts.
                if (link.awaitNotBlackholed(direction) && chunk.bytes() != null) {
                    counters.bytesHeld.add(chunk.bytes().length);
                }
                if (chunk.bytes() == null) {
                    to.shutdownOutput();
                    connection.directionDone();
                    return;
                }
                out.write(chunk.bytes());
                counters.bytesForwarded.add(chunk.bytes().length);
            }
        } catch (IOException e) {
            connection.failed(e);
        } catch (InterruptedException e) {
            // Interrupted only by Connection.abort: the connection is closed already.
        }
    }

    private static void sleepUntil(long dueNanos) throws InterruptedException {
        long leftNanos;
        while ((leftNanos = dueNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(leftNanos);
        }
    }
}
