package io.meridian.bench.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd target against a real one-member etcd on loopback (Debian's {@code etcd-server};
 * skipped where it is not installed): the hand-encoded {@code Put} and {@code Range} calls
 * write and read back, a missing key reads as absent, and workloads etcd cannot run are refused.
 */
class EtcdTargetIT {

    private static final Duration START_PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void writesAreReadBackAndMissingKeysAreAbsent() throws Exception {
        Path etcd = Path.of("/usr/bin/etcd");
        assumeTrue(Files.isExecutable(etcd), "etcd is not installed (Debian package etcd-server)");
        int client = freePort();
        int peer = freePort();
        Process process = new ProcessBuilder(etcd.toString(), "--name", "m1", "--data-dir", dir.resolve("m1").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls",
                "http://127.0.0.1:" + client, "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer, "--initial-cluster",
                "m1=http://127.0.0.1:" + peer).redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile()).start();
        try (EtcdTarget target = new EtcdTarget(List.of("127.0.0.1:" + client))) {
            long deadline = System.nanoTime() + START_PATIENCE.toNanos();
            while (true) {
                try {
                    target.write("probe", "1".getBytes(StandardCharsets.UTF_8));
                    break;
                } catch (StatusRuntimeException notYet) {
                    assertTrue(process.isAlive(), "etcd exited: " + Files.readString(dir.resolve("etcd.log")));
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
            target.write("g00/user0000000001", new byte[100]);
            assertTrue(target.read("g00/user0000000001"));
            assertFalse(target.read("g00/user0000000002"));
            assertThrows(IllegalArgumentException.class, () -> target.check(Workload.named("bank")));
            target.check(Workload.named("write"));
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
