package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.net.ProxiedNetwork;
import io.meridian.chaos.proxy.DirectionStats;
import io.meridian.server.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults other than kills, on one real 5-node cluster in 3 zones whose node-to-node traffic
 * runs through the fault-injecting proxy ({@link ProxiedNetwork}, the mode that needs no root):
 * bank under network partitions, register under SIGSTOP pauses, list-append while leaderships
 * move and ranges split and move. Every history must pass its checkers, nothing unexpected may
 * happen, and every workload must complete operations after its first fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsChaosIT {

    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
    private static final Duration LENGTH = Duration.ofSeconds(16);
    private static final Duration INTERVAL = Duration.ofSeconds(6);
    private static final Duration FAULT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    private ChaosCluster chaos;
    private LocalCluster cluster;
    private ProxiedNetwork network;

    @BeforeAll
    void startCluster() throws Exception {
        chaos = ChaosCluster.start(dir, NODES.size(), 3, 42, line -> { });
        cluster = chaos.cluster();
        network = chaos.network();
        List<String> splits = new ArrayList<>();
        // List-append's keys start in one range: its nemesis splits and moves them under load.
        for (Workload workload : List.of(bank(), register())) {
            splits.addAll(workload.splitKeys());
        }
        ClusterShape.spread(cluster.clientAddress("n1"), splits.stream().distinct().sorted().toList(), 3,
                List.of("n3", "n4", "n5"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (chaos != null) {
            chaos.close();
        }
    }

    private static Workload bank() {
        return new BankWorkload(8, 100);
    }

    private static Workload register() {
        return new RegisterWorkload("faults-reg/", 3);
    }

    private static Workload listAppend() {
        return new ListAppendWorkload("faults-la/", 5);
    }

    @Test
    void bankWhileTheNetworkIsPartitioned() throws Exception {
        DirectionStats before = network.stats();
        PartitionNemesis partitions = new PartitionNemesis(network, NODES, cluster.clientAddress("n1"), new Random(1),
                INTERVAL, FAULT);
        ChaosRuns.runChecked(cluster, "FaultsChaosIT bank, partitions", bank(), partitions, LENGTH,
                INTERVAL.minus(FAULT), 3);
        DirectionStats during = network.stats();
        System.out.println("partitions: " + partitions.faultsMade() + "; proxy " + during);
        assertFalse(partitions.faultsMade().isEmpty(), "a partition was made");
        assertTrue(during.bytesForwarded() > before.bytesForwarded(), "node-to-node traffic ran through the proxy");
        assertTrue(during.bytesDiscarded() > before.bytesDiscarded(), "the partitions dropped traffic");
    }

    @Test
    void registerWhileNodesArePaused() throws Exception {
        PauseNemesis pauses = new PauseNemesis(cluster, new Random(2), INTERVAL, FAULT);
        ChaosRuns.runChecked(cluster, "FaultsChaosIT register, pauses", register(), pauses, LENGTH,
                INTERVAL.minus(FAULT), 4);
        System.out.println("pauses: " + pauses.faultsMade());
        assertFalse(pauses.faultsMade().isEmpty(), "a node was paused");
    }

    @Test
    void listAppendWhileLeadershipsMoveAndRangesSplitAndMove() throws Exception {
        Workload workload = listAppend();
        LeadershipNemesis leaderships = new LeadershipNemesis(cluster.clientAddress("n1"), new Random(3),
                Duration.ofSeconds(4));
        RangeNemesis ranges = new RangeNemesis(cluster.clientAddress("n2"), workload.splitKeys(), new Random(4),
                Duration.ofSeconds(5));
        ChaosRuns.runChecked(cluster, "FaultsChaosIT list-append, leaderships and ranges", workload,
                Nemesis.all(List.of(leaderships, ranges)), LENGTH, Duration.ofSeconds(2), 5);
        System.out.println("leaderships: " + leaderships.faultsMade() + "; ranges: " + ranges.faultsMade());
        assertFalse(leaderships.faultsMade().isEmpty(), "a leadership moved");
        assertFalse(ranges.faultsMade().isEmpty(), "a range was split or moved");
    }
}
