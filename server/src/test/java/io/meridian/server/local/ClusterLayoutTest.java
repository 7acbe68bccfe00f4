package io.meridian.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows what a local cluster remembers in {@code cluster.properties} (ids, zones, ports, who
 * joined through whom), the {@code --initial-members} value it derives, and that a malformed or
 * contradictory layout is refused with the entry at fault; also which JVM flags a node inherits
 * and what {@code bin/meridian local} accepts on its command line.
 */
class ClusterLayoutTest {

    private static final ClusterLayout THREE_AND_A_JOINER = new ClusterLayout(List.of(
            NodeSpec.initialMember("n1", "z1", "127.0.0.1:7101", "127.0.0.1:7201"),
            NodeSpec.initialMember("n2", "z2", "127.0.0.1:7102", "127.0.0.1:7202"),
            NodeSpec.initialMember("n3", "z3", "127.0.0.1:7103", "127.0.0.1:7203"),
            new NodeSpec("n4", "z4", "127.0.0.1:7104", "127.0.0.1:7204", "127.0.0.1:7101")));

    @Test
    void aLayoutSurvivesItsFileAndNamesTheFoundersAsInitialMembers(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), ClusterLayout.load(dir));
        THREE_AND_A_JOINER.store(dir);

        assertEquals(Optional.of(THREE_AND_A_JOINER), ClusterLayout.load(dir));
        assertTrue(Files.readString(dir.resolve("cluster.properties")).contains("n4.join=127.0.0.1:7101\n"));
        assertEquals("n1=127.0.0.1:7101/127.0.0.1:7201,n2=127.0.0.1:7102/127.0.0.1:7202,n3=127.0.0.1:7103/127.0.0.1:7203",
                THREE_AND_A_JOINER.initialMembers());
        assertEquals(5, THREE_AND_A_JOINER.nextNodeNumber());
    }

    @Test
    void aMalformedFileIsRefusedNamingTheEntry(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cluster.properties"), "nodes=n1\nn1.zone=z1\nn1.raft=127.0.0.1:7201\n");
        IOException missing = assertThrows(IOException.class, () -> ClusterLayout.load(dir));
        assertTrue(missing.getMessage().contains("missing 'n1.listen'"), missing.getMessage());

        Files.writeString(dir.resolve("cluster.properties"), "nodes=n1\nn1.zone=z1\nn1.listen=localhost\nn1.raft=127.0.0.1:7201\n");
        IOException badAddress = assertThrows(IOException.class, () -> ClusterLayout.load(dir));
        assertTrue(badAddress.getMessage().contains("client address must be host:port: 'localhost'"), badAddress.getMessage());
    }

    @Test
    void duplicateIdsOrAddressesAreRefused() {
        NodeSpec n1 = NodeSpec.initialMember("n1", "z1", "127.0.0.1:7101", "127.0.0.1:7201");
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout(List.of(n1, n1)));
        assertThrows(IllegalArgumentException.class, () -> THREE_AND_A_JOINER.with(
                NodeSpec.initialMember("n5", "z5", "127.0.0.1:7201", "127.0.0.1:7205")));
        assertThrows(IllegalArgumentException.class, () -> NodeSpec.initialMember("n 1", "z1", "127.0.0.1:1", "127.0.0.1:2"));
    }

    @Test
    void aNodeInheritsOnlyTheJvmFlagsItNeeds() {
        assertEquals(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                        "-XX:+IgnoreUnrecognizedVMOptions", "--sun-misc-unsafe-memory-access=allow", "-Dchronicle.analytics.disable=true"),
                NodeCommand.inheritedFlags(List.of("-Xmx4g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "-agentlib:jdwp=transport=dt_socket", "--enable-native-access=ALL-UNNAMED", "-XX:+IgnoreUnrecognizedVMOptions",
                        "--sun-misc-unsafe-memory-access=allow", "-Dchronicle.analytics.disable=true", "-Dsurefire.x=1",
                        "--add-opens=java.base/java.nio=ALL-UNNAMED")));
    }

    @Test
    void theLocalCommandLine() {
        var defaults = LocalMain.parse(new String[0]);
        assertEquals(3, defaults.nodes());
        assertEquals(Path.of("data"), defaults.data());
        var given = LocalMain.parse(new String[] {"local", "--nodes", "5", "--data", "/tmp/x", "--fresh", "--", "--epsilon", "0ms"});
        assertEquals(5, given.nodes());
        assertTrue(given.fresh() && given.nodesGiven());
        assertEquals(List.of("--epsilon", "0ms"), given.nodeFlags());
        assertEquals(null, LocalMain.parse(new String[] {"--help"}));
        assertEquals("--nodes needs a number, not 'three'", assertThrows(IllegalArgumentException.class,
                () -> LocalMain.parse(new String[] {"--nodes", "three"})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalMain.parse(new String[] {"--nodes", "0"}));
        assertThrows(IllegalArgumentException.class, () -> LocalMain.parse(new String[] {"--data"}));
        assertThrows(IllegalArgumentException.class, () -> LocalMain.parse(new String[] {"--colour"}));
    }
}
