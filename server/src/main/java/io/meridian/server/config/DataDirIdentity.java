package io.meridian.server.config;

import io.meridian.groups.NodeId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The identity file a node writes into its data directory at first start: which cluster and which
 * node the directory belongs to, and whether this node finished bootstrapping the cluster. Later
 * starts refuse a directory of another cluster or node, so a mistyped {@code --data} or
 * {@code --id} cannot mix two nodes' Raft logs.
 *
 * <p>Claiming also takes an exclusive lock on the directory ({@value #LOCK_NAME}), held until
 * {@link #release()} or the process ends, so two processes never run in one data directory.
 *
 * <p>Not thread-safe; the node's start-up owns it. Writes replace the file atomically.
 */
public final class DataDirIdentity implements AutoCloseable {

    /** The lock file's name inside the data directory. */
    public static final String LOCK_NAME = "LOCK";

    /** The file's name inside the data directory. */
    public static final String FILE_NAME = "meridian-identity.properties";

    private static final String CLUSTER = "cluster";
    private static final String NODE_ID = "node_id";
    private static final String BOOTSTRAPPED = "bootstrapped";

    private final Path file;
    private final FileChannel lockChannel;
    private final String cluster;
    private final NodeId nodeId;
    private final boolean fresh;
    private boolean bootstrapped;

    private DataDirIdentity(Path file, FileChannel lockChannel, String cluster, NodeId nodeId, boolean fresh,
            boolean bootstrapped) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.fresh = fresh;
        this.bootstrapped = bootstrapped;
    }

    /**
     * Claims {@code dataDir} for node {@code nodeId} of {@code cluster}: creates the directory and
     * the identity file when the directory is new or empty, checks the file otherwise.
     *
     * @throws ConfigException when the directory belongs to another cluster or node, holds data
     *     without an identity file, or cannot be read or written
     */
    public static DataDirIdentity claim(Path dataDir, String cluster, NodeId nodeId) throws ConfigException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel lock = null;
        try {
            Files.createDirectories(dataDir);
            lock = lock(dataDir);
            if (!Files.exists(file)) {
                if (!isEmpty(dataDir)) {
                    throw new ConfigException("--data " + dataDir + " is not empty but has no " + FILE_NAME
                            + ": it is not a Meridian data directory, or its identity file was lost");
                }
                DataDirIdentity identity = new DataDirIdentity(file, lock, cluster, nodeId, true, false);
                identity.write();
                return identity;
            }
            return check(file, lock, dataDir, cluster, nodeId);
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(lock);
            throw new ConfigException("--data " + dataDir + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private static FileChannel lock(Path dataDir) throws IOException, ConfigException {
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // Held by this process already: just as much in use.
        }
        channel.close();
        throw new ConfigException("--data " + dataDir + " is in use by another running node");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a lock file we are giving up on: nothing to do about it.
            }
        }
    }

    private static DataDirIdentity check(Path file, FileChannel lock, Path dataDir, String cluster, NodeId nodeId)
            throws IOException, ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String storedCluster = properties.getProperty(CLUSTER, "");
        String storedNode = properties.getProperty(NODE_ID, "");
        if (!storedCluster.equals(cluster)) {
            throw new ConfigException("--data " + dataDir + " belongs to cluster '" + storedCluster
                    + "', not to cluster '" + cluster + "' (--cluster)");
        }
        if (!storedNode.equals(nodeId.value())) {
            throw new ConfigException("--data " + dataDir + " belongs to node '" + storedNode
                    + "', not to node '" + nodeId + "' (--id)");
        }
        boolean bootstrapped = Boolean.parseBoolean(properties.getProperty(BOOTSTRAPPED, "false"));
        return new DataDirIdentity(file, lock, cluster, nodeId, false, bootstrapped);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            // The lock, and a temporary file left by a crash during the very first write, do not count.
            return entries.map(p -> p.getFileName().toString())
                    .allMatch(name -> name.equals(LOCK_NAME) || name.equals(FILE_NAME + ".tmp"));
        }
    }

    /** True when {@code dataDir} already holds an identity file (the node started there before). */
    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE_NAME));
    }

    /** True when this start created the identity: the data directory was new. */
    public boolean isFresh() {
        return fresh;
    }

    /** True once this node has seen the cluster's bootstrap applied (see {@link #markBootstrapped}). */
    public boolean isBootstrapped() {
        return bootstrapped;
    }

    /** Records that the cluster's bootstrap commands were applied at this node. Idempotent. */
    public void markBootstrapped() {
        if (!bootstrapped) {
            bootstrapped = true;
            try {
                write();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + file, e);
            }
        }
    }

    /** Releases the directory's lock (the process's end releases it too). Idempotent. */
    public void release() {
        closeQuietly(lockChannel);
    }

    @Override
    public void close() {
        release();
    }

    private void write() throws IOException {
        Properties properties = new Properties();
        properties.setProperty(CLUSTER, cluster);
        properties.setProperty(NODE_ID, nodeId.value());
        properties.setProperty(BOOTSTRAPPED, Boolean.toString(bootstrapped));
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp)) {
            properties.store(writer, "Meridian data directory identity: do not edit");
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
