package io.meridian.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shows that {@code bin/meridian local} opens its shell only once every range has a leader, and
 * that the wait is bounded when one never gets one.
 */
class ClusterReadinessTest {

    @Test
    void waitsUntilEveryRangeHasALeaderWithinTheBound() throws Exception {
        try (FakeMeridian fake = new FakeMeridian()) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(fake.target()).usePlaintext().build();
            try {
                long before = System.nanoTime();
                assertEquals(ClusterReadiness.Outcome.TIMED_OUT, ClusterReadiness.awaitLeaders(channel, Duration.ofMillis(600)));
                assertTrue(System.nanoTime() - before < Duration.ofSeconds(5).toNanos());

                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                    fake.secondRangeLed = true;
                });
                assertEquals(ClusterReadiness.Outcome.READY, ClusterReadiness.awaitLeaders(channel, Duration.ofSeconds(10)));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
