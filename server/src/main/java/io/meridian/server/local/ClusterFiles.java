package io.meridian.server.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes a local cluster's files for a fresh start, refusing directories that do not look like
 * one, so that a mistyped {@code --data} cannot wipe someone's home directory.
 */
final class ClusterFiles {

    private ClusterFiles() {
    }

    /**
     * Checks that {@code dir} may be wiped: it does not exist, is empty, or holds a
     * {@code cluster.properties}.
     *
     * @param dir the data directory
     * @throws IOException if it holds other files, or is not a directory
     */
    static void requireDeletable(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        if (Files.exists(dir.resolve(ClusterLayout.FILE_NAME))) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> some = entries.filter(p -> !p.getFileName().toString().equals(LocalCluster.LOCK_FILE_NAME))
                    .limit(3).toList();
            if (!some.isEmpty()) {
                throw new IOException("refusing to delete " + dir + ": it is not a local cluster's directory (no "
                        + ClusterLayout.FILE_NAME + ") and holds " + some);
            }
        }
    }

    /**
     * Deletes everything under {@code dir} except one top-level file.
     *
     * @param dir  the data directory
     * @param keep the name of the file to keep (the lock the caller holds)
     * @throws IOException if something cannot be deleted
     */
    static void deleteContents(Path dir, String keep) throws IOException {
        Path kept = dir.resolve(keep);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir) && !path.equals(kept)) {
                    Files.delete(path);
                }
            }
        }
    }
}
