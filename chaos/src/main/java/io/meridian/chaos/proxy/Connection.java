package io.meridian.chaos.proxy;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted client connection and its connection to the target: a {@link Pump} per
 * direction, each with a reader and a writer virtual thread.
 *
 * <p>Lifecycle: a connection ends either normally, when both directions have delivered their
 * FIN (half-close is forwarded as {@code shutdownOutput}), or by {@link #abort}, when an
 * endpoint fails, a fault resets it, or the link closes. Aborting closes both sockets and
 * interrupts every thread of the connection; it happens at most once.
 */
final class Connection {

    private final Link link;
    private final Socket client;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger directionsDone = new AtomicInteger();
    private Socket target;
    private boolean closed;

    Connection(Link link, Socket client) {
        this.link = link;
        this.client = client;
    }

    /** Connects to the target and starts forwarding, on the connection's own thread. */
    void start() {
        spawn("connect", this::connectAndForward);
    }

    private void connectAndForward() {
        Socket socket = new Socket();
        if (!attachTarget(socket)) {
            return;
        }
        try {
            // Small writes go out at once: delay comes from the delay line, not from Nagle.
            client.setTcpNoDelay(true);
            socket.setTcpNoDelay(true);
            socket.connect(link.target(), Math.toIntExact(link.connectTimeout().toMillis()));
        } catch (IOException e) {
            // The target refused or did not answer: the client sees its connection reset.
            abort(true);
            return;
        }
        new Pump(this, Direction.FORWARD, client, socket).start();
        new Pump(this, Direction.BACKWARD, socket, client).start();
    }

    private boolean attachTarget(Socket socket) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            target = socket;
            return true;
        } finally {
            lock.unlock();
        }
    }

    Link link() {
        return link;
    }

    /**
     * Starts {@code body} on a new virtual thread of this connection, unless the connection
     * is already closed; every thread started here is interrupted by {@link #abort}.
     */
    void spawn(String role, Runnable body) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            threads.add(Thread.ofVirtual()
                    .name("proxy-" + link.name() + "-" + client.getPort() + "-" + role)
                    .start(body));
        } finally {
            lock.unlock();
        }
    }

    /** Called by a pump's writer once it has forwarded its direction's FIN. */
    void directionDone() {
        if (directionsDone.incrementAndGet() == 2) {
            close(false, () -> { });
        }
    }

    /** Called by a pump when an endpoint fails: both endpoints see a reset. */
    void failed(IOException cause) {
        abort(true);
    }

    /** Called by a pump whose reset probability fired. */
    void injectReset(Direction direction) {
        close(true, () -> link.countInjectedReset(direction));
    }

    /**
     * Closes both sockets, with an RST if {@code reset} (linger zero), else with a FIN, and
     * interrupts the connection's threads.
     *
     * @return whether this call closed the connection; false if it was already closed
     */
    boolean abort(boolean reset) {
        return close(reset, () -> { });
    }

    /**
     * Like {@link #abort(boolean)} with {@code reset} true, but runs {@code count} (counting
     * the reset) before the sockets close, so that whoever sees the reset also sees it
     * counted.
     *
     * @return whether this call closed the connection; {@code count} ran only if so
     */
    boolean reset(Runnable count) {
        return close(true, count);
    }

    private boolean close(boolean reset, Runnable beforeSocketsClose) {
        Socket targetSocket;
        List<Thread> toInterrupt;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            targetSocket = target;
            toInterrupt = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        beforeSocketsClose.run();
        closeSocket(client, reset);
        closeSocket(targetSocket, reset);
        Thread self = Thread.currentThread();
        for (Thread thread : toInterrupt) {
            if (thread != self) {
                thread.interrupt();
            }
        }
        link.removed(this);
        return true;
    }

    private static void closeSocket(Socket socket, boolean reset) {
        if (socket == null) {
            return;
        }
        if (reset && !socket.isClosed()) {
            try {
                // Linger zero makes close() send RST instead of FIN.
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                // Not connected or already failed: a plain close is all that is left.
            }
        }
        Link.closeQuietly(socket);
    }

    /** Waits until the deadline for the connection's threads; returns the names still running. */
    List<String> joinUntil(long deadlineNanos) {
        List<Thread> toJoin;
        lock.lock();
        try {
            toJoin = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        List<String> running = new ArrayList<>();
        for (Thread thread : toJoin) {
            if (!Link.joinUntil(thread, deadlineNanos)) {
                running.add(thread.getName());
            }
        }
        return running;
    }
}
