package io.meridian.bench.cluster;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.Mutation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Leader failover time on a real local 3-node cluster: a client commits continuously through a
 * node that does not lead the data group; the leader's process is killed (SIGKILL); the time
 * from the kill to the first commit acknowledged after it is one sample. The killed node is
 * restarted and allowed to catch up between rounds.
 *
 * <p>Usage: {@code java -cp jmh/target/benchmarks.jar io.meridian.bench.cluster.FailoverTime [rounds]}
 */
public final class FailoverTime {

    private FailoverTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Long> samplesMillis = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start(3, "--epsilon", "1ms")) {
            for (int round = 0; round < rounds; round++) {
                String leader = cluster.awaitLeader(Duration.ofSeconds(60));
                String via = cluster.nodeIds().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
                // Warm the path: a few commits through the gateway before the kill.
                for (int i = 0; i < 50; i++) {
                    commitUntilAcknowledged(cluster, via, "warm/" + round + "/" + i, Duration.ofSeconds(30));
                }
                long killedAt = System.nanoTime();
                cluster.cluster().kill(leader);
                commitUntilAcknowledged(cluster, via, "after/" + round, Duration.ofSeconds(60));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                samplesMillis.add(millis);
                System.out.printf("round %d: killed %s, first commit through %s after %d ms%n", round, leader, via, millis);
                cluster.cluster().restart(leader);
                cluster.awaitLeader(Duration.ofSeconds(60));
            }
        }
        List<Long> sorted = samplesMillis.stream().sorted().toList();
        System.out.printf("failover (kill -> first acknowledged commit), %d rounds: min %d ms, median %d ms, max %d ms%n",
                sorted.size(), sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static void commitUntilAcknowledged(BenchCluster cluster, String via, String key, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        CommitRequest request = CommitRequest.newBuilder().setSingleUse(true)
                .addMutations(Mutation.newBuilder().setPut(Mutation.Put.newBuilder()
                        .setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8)).setValue(ByteString.copyFromUtf8("v"))))
                .build();
        while (true) {
            try {
                cluster.database(via).withDeadlineAfter(2, TimeUnit.SECONDS).commit(request);
                return;
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                // UNAVAILABLE / ABORTED: definitely not applied; UNKNOWN: re-putting the same
                // value is harmless here. Retry at once: the gap is what is measured.
            }
        }
    }
}
