package io.meridian.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line of {@code bin/meridian chaos}: defaults, nemesis lists, and clear errors. */
class ChaosMainTest {

    @Test
    void defaultsAreFiveNodesInThreeZonesWithoutFaults() {
        ChaosMain.Options options = ChaosMain.Options.parse(new String[0]);
        assertEquals("bank", options.workload());
        assertEquals(List.of("none"), options.nemeses());
        assertEquals(5, options.nodes());
        assertEquals(3, options.zones());
        assertEquals(Duration.ofSeconds(30), options.time());
        assertEquals(ChaosCluster.NetworkMode.PROXY, options.network());
    }

    @Test
    void severalNemesesRunTogether() {
        ChaosMain.Options options = ChaosMain.Options.parse(new String[] {
            "--workload", "register", "--nemesis", "kill,partition,ranges", "--time", "2m", "--nodes", "7",
            "--network", "namespaces"});
        assertEquals(List.of("kill", "partition", "ranges"), options.nemeses());
        assertEquals(Duration.ofMinutes(2), options.time());
        assertEquals(7, options.nodes());
        assertEquals(ChaosCluster.NetworkMode.NAMESPACES, options.network());
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("--nemesis must be one of", "--nemesis", "kill,flood");
        assertMessage("--nemesis none cannot be combined", "--nemesis", "none,kill");
        assertMessage("--nodes is at most 9", "--nodes", "12");
        assertMessage("--zones must be positive", "--zones", "0");
        assertMessage("unknown option --color", "--color", "red");
        assertMessage("--time takes seconds or minutes", "--time", "1h");
        assertMessage("the network mode is proxy or namespaces", "--network", "netem");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChaosMain.Options.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
