package io.meridian.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that the local-cluster launcher manages real processes as promised, with a stand-in node
 * ({@link FakeNodeMain}) that takes the node's command line: each node its own JVM, zone, ports,
 * data directory and log; the node flags as specified ({@code --initial-members} for founders,
 * {@code --join} for a later node); stop, kill, restart with the same flags, and add; the layout
 * kept in {@code cluster.properties} and reused; a failing or silent node reported with its log;
 * SIGKILL after the stop timeout; and no process left behind, even when the owning JVM exits
 * without closing the cluster.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalClusterTest {

    /** Fake nodes need no optimising compiler and little heap. */
    static final String[] FAST_JVM_FLAGS = {"-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k"};

    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void noNodeOutlivesItsTest() throws Exception {
        List<Long> survivors = new ArrayList<>();
        for (long pid : pids) {
            if (!gone(pid)) {
                survivors.add(pid);
            }
        }
        assertEquals(List.of(), survivors, "node processes outlived their test (now killed)");
        List<ProcessHandle> fakeNodes = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(FakeNodeMain.class.getName())).orElse(false))
                .filter(ProcessHandle::isAlive).toList();
        fakeNodes.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), fakeNodes.stream().map(ProcessHandle::pid).toList(), "node processes left behind");
    }

    @Test
    void startsEachNodeAsItsOwnProcessAndStopsThemAll(@TempDir Path dir) throws Exception {
        List<String> progress = new ArrayList<>();
        try (LocalCluster cluster = fakeCluster(dir).nodeFlags("--epsilon", "0ms").progress(progress::add).build()) {
            cluster.start();
            recordPids(cluster);

            assertEquals(List.of("n1", "n2", "n3"), cluster.nodes().stream().map(NodeSpec::id).toList());
            assertEquals(List.of("z1", "z2", "z3"), cluster.nodes().stream().map(NodeSpec::zone).toList());
            Set<String> addresses = new HashSet<>();
            for (NodeSpec node : cluster.nodes()) {
                assertTrue(cluster.isRunning(node.id()));
                assertTrue(addresses.add(node.clientAddress()) && addresses.add(node.raftAddress()), addresses.toString());
                assertTrue(node.clientAddress().startsWith("127.0.0.1:"), node.clientAddress());
                assertEquals(node.clientAddress(), cluster.clientAddress(node.id()));
                String start = starts(dir, node.id()).get(0);
                assertTrue(start.startsWith("node --id " + node.id() + " --listen " + node.clientAddress() + " --raft "
                        + node.raftAddress() + " --data " + dir.resolve(node.id()) + " --region local --zone " + node.zone()
                        + " --initial-members " + cluster.nodes().get(0).id() + "="), start);
                assertTrue(start.endsWith(" --epsilon 0ms"), start);
                assertTrue(Files.readString(cluster.logFile(node.id())).contains("meridian node " + node.id() + " serving on"));
            }
            String members = new ClusterLayout(cluster.nodes()).initialMembers();
            assertEquals(3, members.split(",").length);
            assertTrue(starts(dir, "n2").get(0).contains("--initial-members " + members + " "));
            assertTrue(progress.contains("meridian node n3 serving on " + cluster.clientAddress("n3") + " (raft "
                    + cluster.nodes().get(2).raftAddress() + ")"), progress.toString());
            assertEquals(new ClusterLayout(cluster.nodes()), ClusterLayout.load(dir).orElseThrow());
        }
        // close() returned: the @AfterEach check finds every pid gone.
    }

    @Test
    void stopKillRestartAndAddKeepEachNodesIdentity(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = fakeCluster(dir).nodes(2).build()) {
            cluster.start();
            recordPids(cluster);
            long n1 = cluster.pid("n1").orElseThrow();

            cluster.stop("n1");
            cluster.kill("n2");
            assertFalse(cluster.isRunning("n1") || cluster.isRunning("n2"));
            assertGone(n1);
            assertThrows(IllegalStateException.class, cluster::addNode, "nobody to join through");

            cluster.restart("n1");
            cluster.restart("n2");
            recordPids(cluster);
            assertEquals(starts(dir, "n1").get(0), starts(dir, "n1").get(1), "a restart repeats the same flags");
            assertEquals(starts(dir, "n2").get(0), starts(dir, "n2").get(1));

            NodeSpec n3 = cluster.addNode();
            recordPids(cluster);
            assertEquals("n3", n3.id());
            assertEquals("z3", n3.zone());
            assertEquals(cluster.clientAddress("n1"), n3.joinAddress());
            String start = starts(dir, "n3").get(0);
            assertTrue(start.contains(" --zone z3 --join " + cluster.clientAddress("n1")), start);
            assertFalse(start.contains("--initial-members"), start);
            assertEquals(3, ClusterLayout.load(dir).orElseThrow().nodes().size());

            cluster.restart("n3");
            recordPids(cluster);
            assertEquals(starts(dir, "n3").get(0), starts(dir, "n3").get(1));
            assertThrows(IllegalArgumentException.class, () -> cluster.stop("n9"));
        }
    }

    @Test
    void aDirectoryHoldingAClusterBringsTheSameNodesBackAndFreshStartsOver(@TempDir Path dir) throws Exception {
        List<NodeSpec> first;
        try (LocalCluster cluster = fakeCluster(dir).nodes(2).build()) {
            cluster.start();
            recordPids(cluster);
            first = cluster.nodes();
            assertFalse(cluster.reused());
        }
        try (LocalCluster again = fakeCluster(dir).nodes(5).build()) {
            again.start();
            recordPids(again);
            assertTrue(again.reused());
            assertEquals(first, again.nodes(), "same ids and ports, whatever nodes(5) says");
            assertEquals(2, starts(dir, "n1").size());
            // One launcher per directory.
            IOException busy = assertThrows(IOException.class, () -> fakeCluster(dir).build().start());
            assertTrue(busy.getMessage().contains("another launcher"), busy.getMessage());
        }
        try (LocalCluster fresh = fakeCluster(dir).nodes(1).fresh(true).build()) {
            fresh.start();
            recordPids(fresh);
            assertFalse(fresh.reused());
            assertEquals(List.of("n1"), fresh.nodes().stream().map(NodeSpec::id).toList());
            assertEquals(1, starts(dir, "n1").size(), "the old data is gone");
            assertFalse(Files.exists(dir.resolve("n2")));
        }
    }

    @Test
    void freshRefusesADirectoryThatIsNotACluster(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("thesis.tex"), "precious");
        IOException refused = assertThrows(IOException.class, () -> fakeCluster(dir).fresh(true).build().start());
        assertTrue(refused.getMessage().contains("refusing to delete"), refused.getMessage());
        assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));
    }

    @Test
    void aNodeThatFailsToStartIsReportedWithItsLogAndNothingIsLeftRunning(@TempDir Path dir) throws Exception {
        LocalCluster cluster = fakeCluster(dir).nodeFlags("n2", List.of("--fake-fail", "bad --zone for n2")).build();
        IOException failure = assertThrows(IOException.class, cluster::start);

        assertTrue(failure.getMessage().contains("node n2 exited with code 3 before serving"), failure.getMessage());
        assertTrue(failure.getMessage().contains("fake node: bad --zone for n2"), failure.getMessage());
        assertFalse(cluster.isRunning("n1") || cluster.isRunning("n3"));
    }

    @Test
    void aNodeThatNeverServesFailsTheStartWithinTheBound(@TempDir Path dir) throws Exception {
        LocalCluster cluster = fakeCluster(dir).nodes(1).nodeFlags("--fake-silent").startTimeout(Duration.ofSeconds(3)).build();
        long before = System.nanoTime();
        IOException failure = assertThrows(IOException.class, cluster::start);

        assertTrue(failure.getMessage().contains("node n1 did not print its serving line in time"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith(":\n    fake node n1 starting"), "the log tail: " + failure.getMessage());
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(20).toNanos());
        assertFalse(cluster.isRunning("n1"));
    }

    @Test
    void aNodeThatIgnoresSigtermIsKilledAfterTheStopTimeout(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = fakeCluster(dir).nodes(1).nodeFlags("--fake-ignore-sigterm")
                .stopTimeout(Duration.ofMillis(500)).build()) {
            cluster.start();
            recordPids(cluster);
            long before = System.nanoTime();
            cluster.stop("n1");
            assertFalse(cluster.isRunning("n1"));
            assertTrue(System.nanoTime() - before < Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void nodesDoNotOutliveAJvmThatExitsWithoutClosingTheCluster(@TempDir Path dir) throws Exception {
        NodeCommand jvm = NodeCommand.fromCurrentJvm();
        List<String> command = new ArrayList<>(List.of(jvm.javaBinary()));
        command.addAll(jvm.jvmFlags());
        command.addAll(List.of(FAST_JVM_FLAGS));
        command.addAll(List.of("-cp", jvm.classPath(), ClusterOwnerMain.class.getName(), dir.toString()));
        Process owner = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(owner.waitFor(60, TimeUnit.SECONDS), "the owner JVM did not exit");
            String out = new String(owner.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, owner.exitValue(), out);
            List<Long> nodePids = out.lines().filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4))).toList();
            assertEquals(2, nodePids.size(), out);
            pids.addAll(nodePids);
        } finally {
            owner.destroyForcibly();
        }
    }

    private static LocalClusterBuilder fakeCluster(Path dir) {
        return LocalCluster.builder(dir).mainClass(FakeNodeMain.class.getName()).jvmFlags(FAST_JVM_FLAGS)
                .startTimeout(Duration.ofSeconds(60)).stopTimeout(Duration.ofSeconds(10));
    }

    private void recordPids(LocalCluster cluster) {
        for (NodeSpec node : cluster.nodes()) {
            cluster.pid(node.id()).ifPresent(pids::add);
        }
    }

    private static List<String> starts(Path dir, String nodeId) throws IOException {
        return Files.readAllLines(dir.resolve(nodeId).resolve("starts.txt"));
    }

    /** Waits (bounded) for a process to be gone, and kills it if it is not: a test leaves nothing behind. */
    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void assertGone(long pid) throws InterruptedException {
        assertTrue(gone(pid), "process " + pid + " is still alive (now killed)");
    }
}
