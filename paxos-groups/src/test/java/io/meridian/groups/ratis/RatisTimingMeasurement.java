package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import io.meridian.storage.GroupId;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what {@link RatisOptions}' timing defaults rest on; not part of the regular build
 * (its name matches neither Surefire's nor Failsafe's patterns). Run it with
 * <pre>mvn -o -pl paxos-groups verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=RatisTimingMeasurement [-Dratis.measure.electionMinMillis=1000 -Dratis.measure.electionMaxMillis=2000 \
 *     -Dratis.measure.idleSeconds=60 -Dratis.measure.groups=10]</pre>
 * Three hosts in this JVM run the groups idle for a while; every leadership change is counted
 * (each new term in which some replica saw a leader). Then the host leading the most groups is
 * closed, and the time until each of its groups has a new leader is taken. The results are
 * printed to standard error (Failsafe's {@code target/failsafe-reports/*-output.txt}), with
 * the number of live threads per group replica.
 */
class RatisTimingMeasurement {

    @TempDir
    Path directory;

    @Test
    void idleLeadershipChangesAndFailoverTime() throws Exception {
        long electionMinMillis = Long.getLong("ratis.measure.electionMinMillis", RatisOptions.ELECTION_TIMEOUT_MIN_MILLIS);
        long electionMaxMillis = Long.getLong("ratis.measure.electionMaxMillis", RatisOptions.ELECTION_TIMEOUT_MAX_MILLIS);
        long idleSeconds = Long.getLong("ratis.measure.idleSeconds", 60);
        int groupCount = Integer.getInteger("ratis.measure.groups", 10);
        List<GroupId> groups = IntStream.rangeClosed(1, groupCount).mapToObj(GroupId::new).toList();

        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        try (RatisTestCluster cluster = RatisTestCluster.start(directory, 3, options -> options.withElectionTimeout(
                Duration.ofMillis(electionMinMillis), Duration.ofMillis(electionMaxMillis)))) {
            int threadsHosts = ManagementFactory.getThreadMXBean().getThreadCount();
            for (GroupId group : groups) {
                cluster.startGroup(group, cluster.nodes());
            }
            Map<GroupId, NodeId> leaders = new HashMap<>();
            for (GroupId group : groups) {
                leaders.put(group, cluster.awaitLeader(group));
            }
            Map<GroupId, Long> settledTerms = new HashMap<>();
            for (GroupId group : groups) {
                settledTerms.put(group, newestTerm(cluster, group));
            }
            int threadsGroups = ManagementFactory.getThreadMXBean().getThreadCount();

            TimeUnit.SECONDS.sleep(idleSeconds); // the idle period is what is measured
            int leadershipChanges = 0;
            for (GroupId group : groups) {
                leadershipChanges += termsWithLeaderAfter(cluster, group, settledTerms.get(group)).size();
            }
            int threadsIdle = ManagementFactory.getThreadMXBean().getThreadCount();

            NodeId victim = leaders.values().stream()
                    .reduce((a, b) -> count(leaders, a) >= count(leaders, b) ? a : b).orElseThrow();
            List<GroupId> orphaned = groups.stream().filter(group -> cluster.awaitLeader(group).equals(victim)).toList();
            // Closing a Ratis server takes about a second; its leaders stop sending heartbeats at
            // once, so the clock starts then and the close runs beside the polling.
            long closedAtNanos = System.nanoTime();
            Thread closer = Thread.ofPlatform().name("close-" + victim).start(() -> cluster.closeHost(victim));
            Map<GroupId, Long> failoverMillis = new HashMap<>();
            Await.until(Duration.ofSeconds(60), "new leaders for the groups " + victim + " led", () -> {
                for (GroupId group : orphaned) {
                    if (!failoverMillis.containsKey(group) && hasOtherLeader(cluster, group, victim)) {
                        failoverMillis.put(group, (System.nanoTime() - closedAtNanos) / 1_000_000);
                    }
                }
                return failoverMillis.size() == orphaned.size();
            });
            closer.join();
            List<Long> sorted = failoverMillis.values().stream().sorted().toList();

            System.err.printf("RATIS-TIMING election %d-%d ms, %d groups x 3 replicas: %d leadership changes in %d s idle;"
                            + " fail-over of %d groups after closing %s: min %d ms, median %d ms, max %d ms;"
                            + " threads: %d before, %d with 3 hosts, %d with the groups, %d after idling"
                            + " (%.1f per group replica while idle)%n",
                    electionMinMillis, electionMaxMillis, groupCount, leadershipChanges, idleSeconds,
                    orphaned.size(), victim, sorted.getFirst(), sorted.get(sorted.size() / 2), sorted.getLast(),
                    threadsBefore, threadsHosts, threadsGroups, threadsIdle,
                    (threadsIdle - threadsHosts) / (3.0 * groupCount));
            assertTrue(sorted.getLast() < 60_000);
        }
    }

    private static long count(Map<GroupId, NodeId> leaders, NodeId node) {
        return leaders.values().stream().filter(node::equals).count();
    }

    private static boolean hasOtherLeader(RatisTestCluster cluster, GroupId group, NodeId closed) {
        for (NodeId node : cluster.nodes()) {
            if (!node.equals(closed) && cluster.log(node, group).isLeader()) {
                return true;
            }
        }
        return false;
    }

    private static long newestTerm(RatisTestCluster cluster, GroupId group) {
        long newest = -1;
        for (NodeId node : cluster.nodes()) {
            for (ListStateMachine.LeaderEvent event : cluster.machine(node, group).leaderEvents()) {
                newest = Math.max(newest, event.term());
            }
        }
        return newest;
    }

    private static Set<Long> termsWithLeaderAfter(RatisTestCluster cluster, GroupId group, long term) {
        Set<Long> terms = new HashSet<>();
        List<ListStateMachine.LeaderEvent> events = new ArrayList<>();
        for (NodeId node : cluster.nodes()) {
            events.addAll(cluster.machine(node, group).leaderEvents());
        }
        for (ListStateMachine.LeaderEvent event : events) {
            if (event.term() > term && event.leader().isPresent()) {
                terms.add(event.term());
            }
        }
        return terms;
    }
}
