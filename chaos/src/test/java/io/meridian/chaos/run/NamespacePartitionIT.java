package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meridian.chaos.net.NamespaceNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace network mode (root only; skipped elsewhere, saying why): a real 3-node cluster
 * with each node in a network namespace of its own, bank under partitions made by blackhole
 * routes in the nodes' namespaces. The history must be valid, a partition must have been made,
 * and the workload must keep completing operations.
 */
class NamespacePartitionIT {

    @TempDir
    Path dir;

    @Test
    void bankStaysValidUnderPartitionsBetweenNamespaces() throws Exception {
        Optional<String> unavailable = NamespaceNetwork.unavailableBecause();
        assumeTrue(unavailable.isEmpty(), () -> "namespace mode unavailable: " + unavailable.orElse(""));
        try (ChaosCluster chaos = ChaosCluster.start(dir, 3, 3, 11, line -> { },
                ChaosCluster.NetworkMode.NAMESPACES)) {
            Workload bank = new BankWorkload(8, 100);
            chaos.shape(bank.splitKeys(), 2);
            ChaosCluster.Pace pace = new ChaosCluster.Pace(Duration.ofSeconds(5), Duration.ofMillis(2_500));
            PeriodicNemesis partitions = (PeriodicNemesis) chaos.nemesis("partition", new Random(12), List.of(), pace);
            ChaosRuns.runChecked(chaos.cluster(), "NamespacePartitionIT bank, partitions (namespaces)", bank,
                    partitions, Duration.ofSeconds(11), pace.interval().minus(pace.duration()), 13);
            System.out.println("NamespacePartitionIT partitions: " + partitions.faultsMade());
            assertFalse(partitions.faultsMade().isEmpty(), "a partition was made");
        }
    }
}
