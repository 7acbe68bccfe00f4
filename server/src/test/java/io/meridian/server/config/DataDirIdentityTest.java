package io.meridian.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that a data directory belongs to the node and cluster that first started in it: a new
 * or empty directory is claimed, the same node restarts in it, and another node, another cluster,
 * a second process, or a directory of unknown data is refused with a message naming the flag.
 */
class DataDirIdentityTest {

    private static final NodeId N1 = new NodeId("n1");

    @Test
    void aNewDirectoryIsClaimedAndTheSameNodeRestartsInIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertFalse(DataDirIdentity.exists(data));

        DataDirIdentity first = DataDirIdentity.claim(data, "meridian", N1);
        assertTrue(first.isFresh());
        assertFalse(first.isBootstrapped());
        assertTrue(DataDirIdentity.exists(data));

        first.markBootstrapped();
        Files.createDirectories(data.resolve("store"));
        first.release();
        try (DataDirIdentity again = DataDirIdentity.claim(data, "meridian", N1)) {
            assertFalse(again.isFresh());
            assertTrue(again.isBootstrapped());
        }
    }

    @Test
    void anExistingEmptyDirectoryIsClaimed(@TempDir Path dir) throws Exception {
        try (DataDirIdentity identity = DataDirIdentity.claim(dir, "meridian", N1)) {
            assertTrue(identity.isFresh());
        }
    }

    @Test
    void anotherNodeOrClusterIsRefused(@TempDir Path dir) throws Exception {
        DataDirIdentity.claim(dir, "meridian", N1).release();

        String otherNode = assertThrows(ConfigException.class,
                () -> DataDirIdentity.claim(dir, "meridian", new NodeId("n2"))).getMessage();
        assertTrue(otherNode.contains("--id") && otherNode.contains("'n1'"), otherNode);

        String otherCluster = assertThrows(ConfigException.class,
                () -> DataDirIdentity.claim(dir, "staging", N1)).getMessage();
        assertTrue(otherCluster.contains("--cluster") && otherCluster.contains("'meridian'"), otherCluster);
    }

    @Test
    void aDirectoryInUseByARunningNodeIsRefused(@TempDir Path dir) throws Exception {
        try (DataDirIdentity running = DataDirIdentity.claim(dir, "meridian", N1)) {
            String message = assertThrows(ConfigException.class, () -> DataDirIdentity.claim(dir, "meridian", N1))
                    .getMessage();
            assertTrue(message.contains("in use"), message);
        }
        DataDirIdentity.claim(dir, "meridian", N1).release();
    }

    @Test
    void aDirectoryWithDataButNoIdentityIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("something"), "x");

        String message = assertThrows(ConfigException.class, () -> DataDirIdentity.claim(dir, "meridian", N1))
                .getMessage();

        assertTrue(message.contains("--data") && message.contains("not empty"), message);
    }
}
