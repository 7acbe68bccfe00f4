package io.meridian.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows what {@code meridian node} accepts: both flag forms, a properties file under the flags,
 * defaults, the bootstrap member list; and that every bad configuration is refused with a
 * message naming the flag at fault.
 */
class NodeConfigParserTest {

    private static final String MEMBERS = "n1=127.0.0.1:7001/127.0.0.1:8001,n2=127.0.0.1:7002/127.0.0.1:8002";

    private static List<String> base(String... more) {
        List<String> args = new ArrayList<>(List.of("--id", "n1", "--listen", "127.0.0.1:7001",
                "--raft=127.0.0.1:8001", "--data", "/tmp/meridian-n1"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    private static String refusal(List<String> args) {
        return assertThrows(ConfigException.class, () -> NodeConfigParser.parse(args)).getMessage();
    }

    @Test
    void parsesBothFlagFormsAndAppliesDefaults() throws Exception {
        NodeConfig config = NodeConfigParser.parse(base("--initial-members", MEMBERS));

        assertEquals(new NodeId("n1"), config.id());
        assertEquals(new HostPort("127.0.0.1", 7001), config.listen());
        assertEquals(new HostPort("127.0.0.1", 8001), config.raft());
        assertEquals(Path.of("/tmp/meridian-n1"), config.dataDir());
        assertEquals("meridian", config.cluster());
        assertEquals("local", config.region());
        assertEquals(Duration.ofMillis(1), config.epsilon());
        assertEquals(Duration.ofMillis(10), config.maxEpsilon());
        assertEquals(64L << 20, config.rangeSplitBytes());
        assertEquals(Optional.empty(), config.electionTimeoutMin());
        assertEquals(Optional.empty(), config.clockOffsetFile());
        assertTrue(config.bootstraps());
        assertEquals(Path.of("/tmp/meridian-n1/store"), config.storeDir());
        assertEquals(Path.of("/tmp/meridian-n1/raft"), config.raftDir());
    }

    @Test
    void readsTheInitialMembersAndTheJoinSeeds() throws Exception {
        NodeConfig bootstrap = NodeConfigParser.parse(base("--initial-members", MEMBERS));
        assertEquals(2, bootstrap.initialMembers().size());
        InitialMember second = bootstrap.initialMembers().get(1);
        assertEquals(new NodeId("n2"), second.id());
        assertEquals(new HostPort("127.0.0.1", 7002), second.clientAddress());
        assertEquals(new HostPort("127.0.0.1", 8002), second.raftAddress());

        NodeConfig joining = NodeConfigParser.parse(base("--join", "10.0.0.1:7001, 10.0.0.2:7001"));
        assertFalse(joining.bootstraps());
        assertEquals(List.of(new HostPort("10.0.0.1", 7001), new HostPort("10.0.0.2", 7001)), joining.join());
    }

    @Test
    void readsDurationsSizesAndElectionTimeouts() throws Exception {
        NodeConfig config = NodeConfigParser.parse(base("--join", "h:1", "--epsilon", "0ms", "--max-epsilon=250us",
                "--range-split-bytes", "1MiB", "--election-timeout-min", "300ms", "--election-timeout-max", "1s",
                "--region", "eu-west", "--zone", "eu-west-1a", "--cluster", "prod", "--clock-offset-file", "/tmp/skew"));

        assertEquals(Duration.ZERO, config.epsilon());
        assertEquals(Duration.ofNanos(250_000), config.maxEpsilon());
        assertEquals(1L << 20, config.rangeSplitBytes());
        assertEquals(Optional.of(Duration.ofMillis(300)), config.electionTimeoutMin());
        assertEquals(Optional.of(Duration.ofSeconds(1)), config.electionTimeoutMax());
        assertEquals("eu-west-1a", config.zone());
        assertEquals("prod", config.cluster());
        assertEquals(Optional.of(Path.of("/tmp/skew")), config.clockOffsetFile());
        assertEquals(Duration.ofMillis(1500), NodeConfigParser.parseDuration("PT1.5S"));
        assertEquals(2_000_000_000L, NodeConfigParser.parseSize("2GB"));
        assertEquals(4096L, NodeConfigParser.parseSize("4kib"));
    }

    @Test
    void aConfigFileSuppliesWhatTheFlagsLeaveOutAndFlagsWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, "zone=file-zone\nregion=file-region\njoin=seed:7000\nmax-epsilon=5ms\n");

        NodeConfig config = NodeConfigParser.parse(base("--config", file.toString(), "--zone", "flag-zone"));

        assertEquals("flag-zone", config.zone());
        assertEquals("file-region", config.region());
        assertEquals(List.of(new HostPort("seed", 7000)), config.join());
        assertEquals(Duration.ofMillis(5), config.maxEpsilon());
    }

    @Test
    void aConfigFileCanHoldEverything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, "id=n2\nlisten=127.0.0.1:7002\nraft=127.0.0.1:8002\ndata=/tmp/n2\n"
                + "initial-members=" + MEMBERS + "\n");

        NodeConfig config = NodeConfigParser.parse(List.of("--config=" + file));

        assertEquals(new NodeId("n2"), config.id());
        assertTrue(config.bootstraps());
    }

    @Test
    void refusesMissingUnknownAndRepeatedFlags(@TempDir Path dir) throws Exception {
        assertTrue(refusal(List.of("--listen", "h:1", "--raft", "h:2", "--data", "d")).contains("--id"));
        assertTrue(refusal(List.of("--id", "n1", "--raft", "h:2", "--data", "d")).contains("--listen"));
        assertTrue(refusal(base("--colour", "blue")).contains("--colour"));
        assertTrue(refusal(base("--zone")).contains("--zone"));
        assertTrue(refusal(base("--zone", "a", "--zone", "b")).contains("--zone"));
        assertTrue(refusal(base("stray")).contains("stray"));
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "colour=blue\n");
        assertTrue(refusal(base("--config", file.toString())).contains("colour"));
        assertTrue(refusal(base("--config", dir.resolve("missing").toString())).contains("--config"));
    }

    @Test
    void refusesMalformedValuesNamingTheFlag() {
        assertTrue(refusal(base("--join", "h:1", "--epsilon", "1 fortnight")).startsWith("--epsilon"));
        assertTrue(refusal(base("--join", "h:1", "--epsilon", "5")).startsWith("--epsilon"));
        assertTrue(refusal(base("--join", "h:1", "--range-split-bytes", "lots")).startsWith("--range-split-bytes"));
        assertTrue(refusal(base("--join", "h:1", "--range-split-bytes", "0")).contains("--range-split-bytes"));
        assertTrue(refusal(List.of("--id", "n 1", "--listen", "h:1", "--raft", "h:2", "--data", "d")).startsWith("--id"));
        assertTrue(refusal(List.of("--id", "n1", "--listen", "h:99999", "--raft", "h:2", "--data", "d"))
                .startsWith("--listen"));
        assertTrue(refusal(List.of("--id", "n1", "--listen", "h", "--raft", "h:2", "--data", "d")).startsWith("--listen"));
        assertTrue(refusal(base("--join", "h:1", "--zone", "a/b")).contains("--zone"));
        assertTrue(refusal(base("--join", "h:1,,h:2")).startsWith("--join"));
    }

    @Test
    void refusesContradictoryMembership() {
        assertTrue(refusal(base("--initial-members", MEMBERS, "--join", "h:1")).contains("--join"));
        assertTrue(refusal(base("--initial-members", "n2=h:1/h:2")).contains("does not list this node"));
        assertTrue(refusal(base("--initial-members", "n1=127.0.0.1:9/127.0.0.1:8001")).contains("--listen"));
        assertTrue(refusal(base("--initial-members", MEMBERS + ",n2=h:3/h:4")).contains("twice"));
        assertTrue(refusal(base("--initial-members", "n1:127.0.0.1:7001")).startsWith("--initial-members"));
        assertTrue(refusal(List.of("--id", "n1", "--listen", "h:1", "--raft", "h:1", "--data", "d"))
                .contains("--raft"));
    }

    @Test
    void refusesElectionTimeoutsThatDoNotFit() {
        assertTrue(refusal(base("--join", "h:1", "--election-timeout-min", "300ms")).contains("--election-timeout-max"));
        assertTrue(refusal(base("--join", "h:1", "--election-timeout-min", "1s", "--election-timeout-max", "500ms"))
                .contains("--election-timeout-min"));
    }

    @Test
    void theUsageNamesEveryFlag() {
        String usage = NodeConfigParser.usage();
        for (String flag : NodeConfigParser.FLAGS.keySet()) {
            assertTrue(usage.contains("--" + flag), flag);
        }
    }
}
