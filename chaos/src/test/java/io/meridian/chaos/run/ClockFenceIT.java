package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clock far beyond ε fences its node, in both ways a clock goes wrong, on a real 3-node cluster
 * (ε 1 ms, max ε 10 ms):
 * <ul>
 *   <li>n3's wall clock steps 60 ms ahead while it runs: the step is caught against its monotonic
 *       clock at once, its TrueTime widens by the step, the fence trips and its gRPC health says
 *       NOT_SERVING; it hands over the leadership of every group (it led them all), so the others
 *       keep serving and committing; the step undone, it serves again;</li>
 *   <li>n3 restarts with its clock already 60 ms ahead, which no step shows: its peers' answers
 *       disagree with it and the peer check widens ε past the fence; put right (a step of
 *       −60 ms), the peers side with the step and it serves again.</li>
 * </ul>
 */
class ClockFenceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aClockFarBeyondEpsilonFencesItsNodeUntilItIsPutRight() throws Exception {
        try (ChaosCluster chaos = ChaosCluster.start(dir, 3, 3, 7, line -> { })) {
            String n3 = chaos.cluster().clientAddress("n3");
            awaitHealth(n3, ServingStatus.SERVING);
            // n3 leads every group, so the others can commit only once the fenced n3 hands over.
            try (ClusterAdmin admin = new ClusterAdmin(chaos.cluster().clientAddress("n1"), PATIENCE)) {
                for (var group : admin.groups()) {
                    admin.transferLeadership(group.getGroupId(), "n3");
                }
            }

            chaos.setClockOffset("n3", 60_000);
            awaitHealth(n3, ServingStatus.NOT_SERVING);
            assertEquals(ServingStatus.SERVING, NodeHealth.of(chaos.cluster().clientAddress("n1")), "n1 keeps serving");
            try (MeridianClient client = MeridianClient.builder().endpoints(chaos.cluster().clientAddress("n1"))
                    .callTimeout(PATIENCE).build()) {
                client.write(Mutation.put("fence/while-n3-is-fenced", "ok"));
                assertEquals("ok", client.singleUse().get("fence/while-n3-is-fenced").orElseThrow().valueUtf8());
            }
            String log = Files.readString(chaos.cluster().logFile("n3"));
            // The step is measured between two monotonic readings: within a few µs of 60 ms.
            assertTrue(Pattern.compile("wall clock stepped \\+(599\\d\\d|600\\d\\d) µs against the monotonic clock")
                    .matcher(log).find(), "n3 says why in its log");
            assertTrue(log.contains("is fenced: handing the leadership of"), "n3 handed its leaderships over");

            chaos.setClockOffset("n3", 0);
            awaitHealth(n3, ServingStatus.SERVING);

            chaos.cluster().kill("n3");
            chaos.setClockOffset("n3", 60_000);
            chaos.cluster().restart("n3");
            awaitHealth(n3, ServingStatus.NOT_SERVING);
            awaitLog(chaos, "n3", "clock disagrees with a majority of peers");
            chaos.setClockOffset("n3", 0);
            awaitHealth(n3, ServingStatus.SERVING);
            awaitLog(chaos, "n3", "a majority of peers side with the wall clock's step of -");
        }
    }

    private static void awaitLog(ChaosCluster chaos, String node, String line) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.readString(chaos.cluster().logFile(node)).contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + "'s log does not say \"" + line + "\" within " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitHealth(String address, ServingStatus wanted) throws InterruptedException {
        if (NodeHealth.await(address, wanted, PATIENCE).isEmpty()) {
            throw new AssertionError(address + " did not become " + wanted + " within " + PATIENCE + "; last "
                    + NodeHealth.of(address));
        }
    }
}
