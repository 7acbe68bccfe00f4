package io.meridian.chaos.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A fault-injecting TCP proxy: a set of named {@link Link}s, each listening on a loopback
 * address (a free port of {@code 127.0.0.1} unless told otherwise) and forwarding every accepted
 * connection to its target, in both directions, through faults that can be changed at run time. It needs no root and no kernel
 * support (no {@code netem}, no {@code iptables}).
 *
 * <p>Threading: thread-safe. Forwarding uses blocking I/O on virtual threads, two per
 * direction per connection (a reader and a delay-line writer); all end by the time
 * {@link #close()} returns.
 *
 * <p>Randomness (jitter, random resets) comes only from the {@link Random} passed in: each
 * link gets its own generator seeded from it in the order links are opened.
 */
public final class FaultProxy implements AutoCloseable {

    /** How long a link waits for its target to accept a connection, unless told otherwise. */
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    private final Random random;
    private final Duration connectTimeout;
    private final Map<String, Link> links = new LinkedHashMap<>();
    private boolean closed;

    /**
     * A proxy with no links yet, connecting to targets with {@link #CONNECT_TIMEOUT_DEFAULT}.
     *
     * @param random the source of every random choice; seed it and record the seed
     */
    public FaultProxy(Random random) {
        this(random, CONNECT_TIMEOUT_DEFAULT);
    }

    /**
     * A proxy with no links yet.
     *
     * @param random         the source of every random choice; seed it and record the seed
     * @param connectTimeout how long a link waits for its target to accept a connection
     *                       before resetting the client's; positive, below 24 days
     */
    public FaultProxy(Random random, Duration connectTimeout) {
        this.random = Objects.requireNonNull(random, "random");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()
                || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout out of range: " + connectTimeout);
        }
        this.connectTimeout = connectTimeout;
    }

    /**
     * Opens a link named {@code name} that listens on a free port of {@code 127.0.0.1}
     * ({@link Link#address()}) and forwards to {@code target}, with no faults.
     *
     * @throws IllegalArgumentException if a link of that name is open
     * @throws IllegalStateException    if the proxy is closed
     * @throws UncheckedIOException     if no port could be bound
     */
    public Link open(String name, InetSocketAddress target) {
        return open(name, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target);
    }

    /**
     * Opens a link named {@code name} that listens on {@code listen} (port 0: a free one) and
     * forwards to {@code target}, with no faults. Any address of {@code 127.0.0.0/8} works on
     * Linux without configuration, so links to the same port of different targets can each
     * have an address of their own.
     *
     * @throws IllegalArgumentException if a link of that name is open
     * @throws IllegalStateException    if the proxy is closed
     * @throws UncheckedIOException     if {@code listen} could not be bound
     */
    public synchronized Link open(String name, InetSocketAddress listen, InetSocketAddress target) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(target, "target");
        if (closed) {
            throw new IllegalStateException("proxy closed");
        }
        if (links.containsKey(name)) {
            throw new IllegalArgumentException("link already open: " + name);
        }
        Link link;
        try {
            link = Link.open(name, listen, target, connectTimeout, new Random(random.nextLong()), this::forget);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for link " + name, e);
        }
        links.put(name, link);
        return link;
    }

    /** The open link named {@code name}, if any. */
    public synchronized Optional<Link> link(String name) {
        return Optional.ofNullable(links.get(name));
    }

    /** The open links, in the order they were opened. */
    public synchronized List<Link> links() {
        return List.copyOf(links.values());
    }

    /** {@link Link#heal() Heals} every open link. */
    public void healAll() {
        for (Link link : links()) {
            link.heal();
        }
    }

    /**
     * Closes every link: stops listening, resets every connection and waits for every thread.
     * Idempotent; afterwards connecting to a link's port fails and {@link #open} throws.
     *
     * @throws IllegalStateException if a link's threads did not end (a bug in the proxy)
     */
    @Override
    public void close() {
        List<Link> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(links.values());
        }
        IllegalStateException failure = null;
        for (Link link : toClose) {
            try {
                link.close();
            } catch (IllegalStateException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized void forget(Link link) {
        links.remove(link.name(), link);
    }
}
