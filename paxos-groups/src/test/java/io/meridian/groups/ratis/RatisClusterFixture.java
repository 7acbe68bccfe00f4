package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every Ratis integration test shares: a temporary directory for its hosts, the cluster
 * the test starts in it, and, after each test, closing that cluster and checking that no
 * replica reported a fatal error along the way.
 */
abstract class RatisClusterFixture {

    @TempDir
    Path directory;

    /** Set by each test when it starts its cluster. */
    RatisTestCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.takeFatalErrors(), "fatal errors");
        }
    }
}
