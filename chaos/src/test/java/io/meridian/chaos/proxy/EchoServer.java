package io.meridian.chaos.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP echo server for the proxy tests: writes back every byte it reads and answers
 * the client's FIN with its own. One virtual thread per connection.
 */
final class EchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final Thread acceptor;

    EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Bytes read from all clients so far. */
    long bytesReceived() {
        return bytesReceived.get();
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            threads.add(Thread.ofVirtual().name("echo-" + socket.getPort()).start(() -> echo(socket)));
        }
    }

    private void echo(Socket socket) {
        byte[] buffer = new byte[8192];
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int count;
            while ((count = in.read(buffer)) >= 0) {
                bytesReceived.addAndGet(count);
                out.write(buffer, 0, count);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // The client or the proxy reset the connection; nothing to echo any more.
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.join(Duration.ofSeconds(10));
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
        }
    }
}
