package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clock far beyond ε fences its node: on a real 3-node cluster, n3's clock is moved 60 ms
 * ahead (ε is 1 ms, max ε 10 ms). Its peers' answers disagree with it, its TrueTime widens to
 * stay honest, the fence trips and its gRPC health says NOT_SERVING; it hands over the
 * leadership of every group (it led them all), so the others keep serving and committing; put
 * right, it serves again.
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
            assertEquals(ServingStatus.SERVING, health(chaos.cluster().clientAddress("n1")), "n1 keeps serving");
            try (MeridianClient client = MeridianClient.builder().endpoints(chaos.cluster().clientAddress("n1"))
                    .callTimeout(PATIENCE).build()) {
                client.write(Mutation.put("fence/while-n3-is-fenced", "ok"));
                assertEquals("ok", client.singleUse().get("fence/while-n3-is-fenced").orElseThrow().valueUtf8());
            }
            String log = Files.readString(chaos.cluster().logFile("n3"));
            assertTrue(log.contains("clock disagrees with a majority of peers"), "n3 says why in its log");
            assertTrue(log.contains("is fenced: handing the leadership of"), "n3 handed its leaderships over");

            chaos.setClockOffset("n3", 0);
            awaitHealth(n3, ServingStatus.SERVING);
        }
    }

    private static void awaitHealth(String address, ServingStatus wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        ServingStatus last = null;
        while (System.nanoTime() < deadline) {
            last = health(address);
            if (last == wanted) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(address + " did not become " + wanted + " within " + PATIENCE + "; last " + last);
    }

    private static ServingStatus health(String address) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (io.grpc.StatusRuntimeException unreachable) {
            return ServingStatus.UNKNOWN;
        } finally {
            channel.shutdownNow();
        }
    }
}
