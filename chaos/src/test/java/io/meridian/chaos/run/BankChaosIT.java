package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.chaos.history.Operation;
import io.meridian.chaos.history.Outcome;
import io.meridian.client.MeridianClient;
import io.meridian.server.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank workload against a real 3-node cluster whose 8 accounts are spread over 4 ranges in
 * 2 groups: 6 clients transferring and reading every balance, first with no fault, then while
 * the node leading the data group is killed (SIGKILL) and restarted. Every read-only snapshot
 * must show the same total and no negative balance, and the run must keep committing after
 * the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BankChaosIT {

    private static final int ACCOUNTS = 8;
    private static final long INITIAL = 100;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private final BankWorkload bank = new BankWorkload(ACCOUNTS, INITIAL);

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.builder(dir).nodes(3).fresh(true).build();
        cluster.start();
        List<String> splits = new ArrayList<>();
        for (int i = 2; i < ACCOUNTS; i += 2) {
            splits.add(BankWorkload.account(i));
        }
        ClusterShape.spread(cluster.clientAddress("n1"), splits, 2, List.of("n1", "n2", "n3"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MeridianClient client() {
        return MeridianClient.builder().endpoints(cluster.clientAddress("n1"), cluster.clientAddress("n2"),
                cluster.clientAddress("n3")).callTimeout(Duration.ofSeconds(5)).transactionTimeout(Duration.ofSeconds(15))
                .build();
    }

    @Test
    void withoutFaultsEverySnapshotBalances() throws Exception {
        try (MeridianClient client = client()) {
            WorkloadRunner.Result result = WorkloadRunner.run(client, bank,
                    new WorkloadRunner.Settings(6, Duration.ofSeconds(6), 20_000, 1), line -> { });
            System.out.println("BankChaosIT no faults: " + result.counts() + " " + result.verdicts());
            assertTrue(result.valid(), result.verdicts() + " " + result.unexpected());
            assertTrue(result.counts().ok() > 50, "the bank made progress: " + result.counts());
            assertEquals(0, result.counts().info(), "no fault, no ambiguity: " + result.counts());
        }
    }

    @Test
    void killingTheLeaderKeepsEverySnapshotBalancedAndTheBankRunning() throws Exception {
        String victim;
        try (MeridianClient client = client()) {
            victim = client.admin().listGroups().stream().filter(g -> g.getGroupId() == 1)
                    .map(g -> g.getLeaderNodeId()).filter(id -> !id.isEmpty()).findFirst().orElse("n1");
        }
        try (MeridianClient client = client()) {
            long[] killedAt = new long[1];
            Thread nemesis = Thread.ofPlatform().name("nemesis").start(() -> {
                try {
                    Thread.sleep(3_000);
                    killedAt[0] = System.nanoTime();
                    cluster.kill(victim);
                    Thread.sleep(4_000);
                    cluster.restart(victim);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            WorkloadRunner.Result result = WorkloadRunner.run(client, bank,
                    new WorkloadRunner.Settings(6, Duration.ofSeconds(14), 50_000, 2), line -> { });
            nemesis.join();
            System.out.println("BankChaosIT kill " + victim + ": " + result.counts() + " " + result.verdicts());
            assertTrue(result.valid(), result.verdicts() + " " + result.unexpected());
            long okAfterKill = result.history().operations().stream()
                    .filter(op -> op.outcome() == Outcome.OK && op.invokeNanos() > killedAt[0])
                    .map(Operation::index).count();
            assertTrue(okAfterKill >= 10, "the bank kept running after the kill: " + okAfterKill + " ok operations");
        } finally {
            if (!cluster.isRunning(victim)) {
                cluster.restart(victim);
            }
        }
    }
}
