package io.meridian.chaos.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One proxied route: a port on {@code 127.0.0.1} whose connections are forwarded to a target,
 * with faults that can be changed at any time. Created by {@link FaultProxy#open}.
 *
 * <p>Threading: every method is thread-safe. A fault change applies to the next chunk read on
 * every existing connection and to every new one; bytes already waiting in a delay line keep
 * the delivery time they were given, and a blackhole also holds them until it lifts.
 */
public final class Link implements AutoCloseable {

    /** How long {@link #close()} waits for the link's threads to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** How long the acceptor backs off after {@code accept} fails for a reason other than close. */
    private static final Duration ACCEPT_FAILURE_BACKOFF = Duration.ofMillis(10);

    private final String name;
    private final InetSocketAddress target;
    private final Duration connectTimeout;
    private final Random random;
    private final Consumer<Link> onClose;
    private final ServerSocket server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ReentrantLock faultsLock = new ReentrantLock();
    private final Condition faultsChanged = faultsLock.newCondition();
    private volatile LinkFaults forwardFaults = LinkFaults.NONE;
    private volatile LinkFaults backwardFaults = LinkFaults.NONE;
    private volatile boolean resetting;

    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder connectionsReset = new LongAdder();
    private final DirectionCounters forwardCounters = new DirectionCounters();
    private final DirectionCounters backwardCounters = new DirectionCounters();

    private Thread acceptor;

    private Link(String name, InetSocketAddress listen, InetSocketAddress target, Duration connectTimeout,
            Random random, Consumer<Link> onClose) throws IOException {
        this.name = name;
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.random = random;
        this.onClose = onClose;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(listen, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** Binds {@code listen} and starts accepting; {@code onClose} runs once on close. */
    static Link open(String name, InetSocketAddress listen, InetSocketAddress target, Duration connectTimeout,
            Random random, Consumer<Link> onClose) throws IOException {
        Link link = new Link(name, listen, target, connectTimeout, random, onClose);
        link.acceptor = Thread.ofVirtual().name("proxy-" + name + "-accept").start(link::acceptLoop);
        return link;
    }

    /** The name given to {@link FaultProxy#open}, for logs. */
    public String name() {
        return name;
    }

    /** Where accepted connections are forwarded to. */
    public InetSocketAddress target() {
        return target;
    }

    /** The address clients connect to instead of {@link #target()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /**
     * Sets the faults of {@code direction} ({@link Direction#BOTH} sets both), replacing the
     * previous ones. {@link LinkFaults#NONE} heals the direction; it does not end
     * {@link #reset()} mode, which only {@link #heal()} does.
     */
    public void set(Direction direction, LinkFaults faults) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(faults, "faults");
        faultsLock.lock();
        try {
            if (direction.covers(Direction.FORWARD)) {
                forwardFaults = faults;
            }
            if (direction.covers(Direction.BACKWARD)) {
                backwardFaults = faults;
            }
            faultsChanged.signalAll();
        } finally {
            faultsLock.unlock();
        }
    }

    /**
     * The faults now set for {@code direction}, which must be {@link Direction#FORWARD} or
     * {@link Direction#BACKWARD}.
     */
    public LinkFaults faults(Direction direction) {
        return switch (direction) {
            case FORWARD -> forwardFaults;
            case BACKWARD -> backwardFaults;
            case BOTH -> throw new IllegalArgumentException("ask for FORWARD or BACKWARD");
        };
    }

    /**
     * Resets (RST to both endpoints) every current connection and keeps resetting each new one
     * as soon as it is accepted, until {@link #heal()}. Idempotent.
     */
    public void reset() {
        // The flag first: a connection the acceptor registers after this loop sees the flag.
        resetting = true;
        for (Connection connection : List.copyOf(connections)) {
            connection.reset(connectionsReset::increment);
        }
    }

    /** Whether {@link #reset()} mode is on. */
    public boolean resetting() {
        return resetting;
    }

    /** Ends {@link #reset()} mode and sets both directions to {@link LinkFaults#NONE}. */
    public void heal() {
        resetting = false;
        set(Direction.BOTH, LinkFaults.NONE);
    }

    /** A snapshot of the counters since the link was opened. */
    public LinkStats stats() {
        return new LinkStats(connectionsAccepted.sum(), connectionsReset.sum(),
                forwardCounters.snapshot(), backwardCounters.snapshot());
    }

    /** How many connections are open through the link now. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Stops accepting, resets every open connection and waits until all of the link's threads
     * have ended. Idempotent; {@link FaultProxy#close()} closes every link.
     *
     * @throws IllegalStateException if a thread is still running after {@link #CLOSE_WAIT},
     *                               which is a bug in the proxy
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeQuietly(server);
            long deadlineNanos = System.nanoTime() + CLOSE_WAIT.toNanos();
            // After the acceptor has ended no connection can be added, so the loop below sees all.
            boolean stopped = joinUntil(acceptor, deadlineNanos);
            // Snapshot first: an aborted connection leaves the set, but its threads must be joined.
            List<Connection> open = List.copyOf(connections);
            for (Connection connection : open) {
                connection.abort(true);
            }
            List<String> running = new ArrayList<>();
            if (!stopped) {
                running.add(acceptor.getName());
            }
            for (Connection connection : open) {
                running.addAll(connection.joinUntil(deadlineNanos));
            }
            if (!running.isEmpty()) {
                throw new IllegalStateException("link " + name + ": threads still running after "
                        + CLOSE_WAIT + ": " + running);
            }
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "Link[" + name + " " + address() + " -> " + target + "]";
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                try {
                    Thread.sleep(ACCEPT_FAILURE_BACKOFF);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            connectionsAccepted.increment();
            Connection connection = new Connection(this, client);
            connections.add(connection);
            // Checked after registering, so either this check or reset()'s loop catches it.
            if (resetting) {
                connection.reset(connectionsReset::increment);
            } else {
                connection.start();
            }
        }
    }

    // ---- used by Connection and Pump ----

    Duration connectTimeout() {
        return connectTimeout;
    }

    Random random() {
        return random;
    }

    DirectionCounters counters(Direction direction) {
        return direction == Direction.FORWARD ? forwardCounters : backwardCounters;
    }

    void removed(Connection connection) {
        connections.remove(connection);
    }

    /** Counts a connection reset because of {@code direction}'s reset probability. */
    void countInjectedReset(Direction direction) {
        connectionsReset.increment();
        counters(direction).resetsInjected.increment();
    }

    /**
     * Blocks while {@code direction} is blackholed; ends early only by interrupt.
     *
     * @return whether it had to wait
     */
    boolean awaitNotBlackholed(Direction direction) throws InterruptedException {
        faultsLock.lock();
        try {
            boolean waited = false;
            while (faults(direction).blackhole()) {
                waited = true;
                faultsChanged.await();
            }
            return waited;
        } finally {
            faultsLock.unlock();
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is best effort: the socket is unusable either way.
        }
    }

    static boolean joinUntil(Thread thread, long deadlineNanos) {
        try {
            long leftNanos = deadlineNanos - System.nanoTime();
            return leftNanos > 0 && thread.join(Duration.ofNanos(leftNanos))
                    || !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    /** The byte counters of one direction, summed over all connections. */
    static final class DirectionCounters {
        final LongAdder bytesForwarded = new LongAdder();
        final LongAdder bytesHeld = new LongAdder();
        final LongAdder resetsInjected = new LongAdder();

        DirectionStats snapshot() {
            return new DirectionStats(bytesForwarded.sum(), bytesHeld.sum(), resetsInjected.sum());
        }
    }
}
