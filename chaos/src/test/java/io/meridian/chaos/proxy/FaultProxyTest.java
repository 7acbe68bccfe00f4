package io.meridian.chaos.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows what a client of a {@link FaultProxy} link sees under each fault, against a loopback
 * echo server: bytes pass unchanged and half-close is forwarded; delay adds at least its
 * value each way and jitter never reorders; a blackhole (both ways or one way) silences an
 * open connection until healed and then delivers what it held, in order, FIN included; reset
 * and a reset probability of 1 cut connections; a closed proxy refuses
 * connections. Waits are bounded by deadlines; timing asserts only lower bounds. Closing the
 * proxy in {@link #tearDown} also checks that no proxy thread outlives it.
 */
@Timeout(60)
class FaultProxyTest {

    private static final long SEED = 20_240_601L;
    private static final Duration WAIT_MAX = Duration.ofSeconds(10);
    private static final int SILENCE_MILLIS = 300;

    private EchoServer echo;
    private FaultProxy proxy;
    private Link link;

    @BeforeEach
    void setUp() throws IOException {
        echo = new EchoServer();
        proxy = new FaultProxy(new Random(SEED));
        link = proxy.open("n1-n2", echo.address());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        echo.close();
    }

    @Test
    void oneMebibyteRoundTripsUnchangedAndHalfCloseIsForwarded() throws Exception {
        byte[] sent = new byte[1 << 20];
        new Random(SEED).nextBytes(sent);
        try (Socket client = connect()) {
            // Written on its own thread: the echo comes back while we still write.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] received = client.getInputStream().readNBytes(sent.length);
            writer.join(WAIT_MAX);

            assertArrayEquals(sent, received);
            // Our FIN reached the echo server, whose FIN came back through the proxy.
            assertEquals(-1, client.getInputStream().read());
        }
        awaitTrue(() -> link.stats().forward().bytesForwarded() == sent.length
                && link.stats().backward().bytesForwarded() == sent.length, "all bytes counted");
        awaitTrue(() -> link.openConnections() == 0, "connection ended on both FINs");
        LinkStats stats = link.stats();
        assertEquals(1, stats.connectionsAccepted());
        assertEquals(0, stats.connectionsReset());
        assertEquals(0, stats.direction(Direction.BOTH).bytesHeld());
    }

    @Test
    void delayEachWayMakesARoundTripTakeAtLeastTwice() throws Exception {
        try (Socket client = connect()) {
            assertEchoes(client, "warm");
            // Set on an open connection: changes apply to existing connections.
            link.set(Direction.BOTH, LinkFaults.delayed(Duration.ofMillis(50), Duration.ZERO));

            long startNanos = System.nanoTime();
            assertEchoes(client, "ping");
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - startNanos);

            assertTrue(roundTrip.compareTo(Duration.ofMillis(100)) >= 0, "round trip " + roundTrip);
        }
    }

    @Test
    void jitterNeverReordersBytes() throws Exception {
        link.set(Direction.BOTH, LinkFaults.delayed(Duration.ofMillis(1), Duration.ofMillis(20)));
        byte[] sent = new byte[2_000];
        try (Socket client = connect()) {
            client.setTcpNoDelay(true);
            for (int i = 0; i < sent.length; i += 10) {
                for (int j = i; j < i + 10; j++) {
                    sent[j] = (byte) j;
                }
                // Many small writes so the proxy sees many chunks, each with its own jitter.
                client.getOutputStream().write(sent, i, 10);
            }
            assertArrayEquals(sent, client.getInputStream().readNBytes(sent.length));
        }
    }

    @Test
    void blackholeSilencesAnOpenConnectionUntilHealedThenDeliversWhatItHeld() throws Exception {
        try (Socket client = connect()) {
            assertEchoes(client, "a");
            link.set(Direction.BOTH, LinkFaults.blackholed());

            client.getOutputStream().write("xy".getBytes(StandardCharsets.US_ASCII));
            client.setSoTimeout(SILENCE_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
            assertEquals(1, echo.bytesReceived(), "nothing passed the blackhole after \"a\"");
            assertEquals(1, link.openConnections());
            assertEquals(0, link.stats().connectionsReset());

            link.set(Direction.BOTH, LinkFaults.NONE);
            // Nothing was lost: the held bytes arrive, in order, then the connection carries new ones.
            client.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
            assertEquals("xy", new String(client.getInputStream().readNBytes(2), StandardCharsets.US_ASCII));
            assertEquals(2, link.stats().forward().bytesHeld());
            assertEchoes(client, "z");
        }
    }

    @Test
    void finSentIntoABlackholeArrivesAfterHealing() throws Exception {
        try (Socket client = connect()) {
            assertEchoes(client, "a");
            link.set(Direction.FORWARD, LinkFaults.blackholed());

            client.shutdownOutput();
            // Had the FIN passed, the echo server would have answered with its own by now.
            client.setSoTimeout(SILENCE_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
            assertEquals(1, link.openConnections());

            link.set(Direction.FORWARD, LinkFaults.NONE);
            client.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
            assertEquals(-1, client.getInputStream().read());
        }
        awaitTrue(() -> link.openConnections() == 0, "connection ended on both FINs");
    }

    @Test
    void oneWayBlackholeDeliversButSilencesTheReply() throws Exception {
        try (Socket client = connect()) {
            link.set(Direction.BACKWARD, LinkFaults.blackholed());

            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            awaitTrue(() -> echo.bytesReceived() == 4, "ping reached the echo server");
            client.setSoTimeout(SILENCE_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
            assertEquals(4, link.stats().forward().bytesForwarded());
            assertEquals(0, link.stats().backward().bytesForwarded());

            link.set(Direction.BACKWARD, LinkFaults.NONE);
            client.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
            assertEquals("ping", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII),
                    "the held reply arrives once healed");
            assertEquals(4, link.stats().backward().bytesHeld());
            assertEchoes(client, "pong");
        }
    }

    @Test
    void resetCutsOpenConnectionsAndNewOnesUntilHealed() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            assertEchoes(first, "1");
            assertEchoes(second, "2");

            link.reset();

            assertConnectionCut(first);
            assertConnectionCut(second);
            try (Socket during = connect()) {
                assertConnectionCut(during);
            }
            assertEquals(3, link.stats().connectionsReset());
        }
        link.heal();
        try (Socket after = connect()) {
            assertEchoes(after, "healed");
        }
    }

    @Test
    void resetProbabilityOneResetsOnTheFirstChunk() throws Exception {
        link.set(Direction.FORWARD, LinkFaults.resetting(1.0));
        try (Socket client = connect()) {
            client.getOutputStream().write('z');

            assertConnectionCut(client);
        }
        assertEquals(0, echo.bytesReceived());
        LinkStats stats = link.stats();
        assertEquals(1, stats.connectionsReset());
        assertEquals(1, stats.forward().resetsInjected());
        assertEquals(0, stats.forward().bytesForwarded());
    }

    @Test
    void closedProxyRefusesConnectionsAndCutsOpenOnes() throws Exception {
        try (Socket client = connect()) {
            assertEchoes(client, "before");

            proxy.close();

            assertConnectionCut(client);
        }
        assertThrows(ConnectException.class, this::connect);
        assertThrows(IllegalStateException.class, () -> proxy.open("late", echo.address()));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(link.address().getAddress(), link.address().getPort());
        socket.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
        return socket;
    }

    /** Writes {@code text} and reads the same bytes back within the socket's timeout. */
    private static void assertEchoes(Socket client, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        client.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
        client.getOutputStream().write(bytes);
        assertArrayEquals(bytes, client.getInputStream().readNBytes(bytes.length));
    }

    /** The next read ends the stream (EOF or reset) within the deadline instead of timing out. */
    private static void assertConnectionCut(Socket client) throws IOException {
        client.setSoTimeout(Math.toIntExact(WAIT_MAX.toMillis()));
        InputStream in = client.getInputStream();
        try {
            int next = in.read();
            assertEquals(-1, next, "expected the connection cut, read a byte");
        } catch (SocketTimeoutException e) {
            fail("connection still open after " + WAIT_MAX);
        } catch (IOException e) {
            // Connection reset: what an RST looks like to the client.
        }
    }

    /** Polls {@code condition} until it holds, failing after {@link #WAIT_MAX}. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + WAIT_MAX.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                fail("not within " + WAIT_MAX + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
