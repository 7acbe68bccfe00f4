package io.meridian.server.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A Meridian cluster on this machine: every node a separate JVM started from the current one
 * (same {@code java}, the JVM flags a node needs, the current class path), each in a zone
 * ({@code z1..zN}) of region {@code local}, listening on {@code 127.0.0.1} (or a host name per
 * node, {@link LocalClusterBuilder#nodeHosts}), with its data under
 * {@code <dir>/<node id>} and its stdout and stderr appended to {@code <dir>/<node id>.log}.
 *
 * <p>Used by {@code bin/meridian local}, by multi-process integration tests and by the chaos
 * harness:
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder(dir).nodes(3).nodeFlags("--epsilon", "0ms").build()) {
 *     cluster.start();                        // returns once every node printed its serving line
 *     String target = cluster.clientAddress("n1");
 *     cluster.kill("n2");                     // SIGKILL
 *     cluster.restart("n2");                  // same id, ports, data and flags
 *     NodeSpec n4 = cluster.addNode();        // joins with --join
 * }                                           // close(): every node stopped
 * }</pre>
 *
 * <p>The node ids, zones and ports are kept in {@code <dir>/cluster.properties}
 * ({@link ClusterLayout}): starting a cluster on a directory that has one restarts the same
 * nodes on the same ports, whatever {@link LocalClusterBuilder#nodes(int)} says. One launcher
 * at a time may use a directory ({@code <dir>/cluster.lock}).
 *
 * <p>No process outlives its launcher: {@link #close()} stops every node this object started,
 * and a shutdown hook does the same (SIGTERM, then SIGKILL after the stop timeout) if the JVM
 * exits first, on {@code System.exit}, the end of {@code main} or Ctrl-C. Only a SIGKILL of the
 * launcher itself can leave nodes behind. Every wait is bounded by the start or stop timeout.
 *
 * <p>Thread-safe: the methods are synchronized, so a node's start, stop and restart never
 * interleave; the shutdown hook takes no lock.
 */
public final class LocalCluster implements AutoCloseable {

    /** The region every local node reports. */
    public static final String REGION = "local";
    /** The interface every local node listens on. */
    public static final String HOST = "127.0.0.1";

    /** The lock file one launcher at a time holds in the data directory. */
    static final String LOCK_FILE_NAME = "cluster.lock";

    private final Path dir;
    private final Options options;
    private final NodeCommand command;
    private final Map<String, List<String>> flagsByNode;
    private final Map<String, List<String>> jvmFlagsByNode;
    private final Map<String, List<String>> launchPrefixByNode;
    private final UnaryOperator<String> hostOfNode;
    private final Consumer<List<NodeSpec>> beforeLaunch;
    private final Map<String, NodeProcess> running = new ConcurrentHashMap<>();
    /** Set by the shutdown hook: a node launched from now on is killed at once. */
    private volatile boolean exiting;
    /** Written under the lock; volatile because the shutdown hook reads it without. */
    private volatile ClusterLayout layout = new ClusterLayout(List.of());
    private boolean reused;
    private boolean started;
    private boolean closed;
    private FileChannel lockChannel;
    private Thread shutdownHook;

    LocalCluster(LocalClusterBuilder builder) {
        this.dir = builder.dir.toAbsolutePath().normalize();
        this.options = new Options(builder.nodeCount, builder.zoneCount, builder.layout, builder.fresh,
                builder.clientPortBase, builder.raftPortBase, builder.nodeFlags, builder.startTimeout, builder.stopTimeout, builder.progress);
        this.command = builder.command.withMoreJvmFlags(builder.jvmFlags);
        this.flagsByNode = new HashMap<>(builder.flagsByNode);
        this.jvmFlagsByNode = Map.copyOf(builder.jvmFlagsByNode);
        this.launchPrefixByNode = Map.copyOf(builder.launchPrefixByNode);
        this.hostOfNode = builder.hostOfNode;
        this.beforeLaunch = builder.beforeLaunch;
    }

    /** What the builder said, frozen at {@link LocalClusterBuilder#build()}. */
    private record Options(int nodeCount, int zoneCount, ClusterLayout layout, boolean fresh, int clientPortBase,
                           int raftPortBase, List<String> nodeFlags, Duration startTimeout, Duration stopTimeout,
                           Consumer<String> progress) {
    }

    /**
     * Starts describing a cluster whose files live under {@code dir}.
     *
     * @param dir the data directory: node data, logs, {@code cluster.properties}
     * @return a builder with the defaults (3 nodes, free ports, 90 s start and 15 s stop timeouts)
     */
    public static LocalClusterBuilder builder(Path dir) {
        return new LocalClusterBuilder(dir);
    }

    /**
     * Starts every node and waits until each printed its serving line. A new cluster gets
     * {@link LocalClusterBuilder#nodes(int)} nodes, all started with the same {@code --initial-members}; a
     * directory holding {@code cluster.properties} gets its nodes back, with the same ids, zones
     * and ports. On failure every node started so far is stopped and the cluster is closed.
     *
     * @throws IOException if a node exits or stays silent past the start timeout (the message
     *                     carries the end of its log), or the directory is in use
     * @throws IllegalStateException if called twice
     */
    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException("a LocalCluster starts once");
        }
        started = true;
        try {
            if (options.fresh) {
                ClusterFiles.requireDeletable(dir);
            }
            Files.createDirectories(dir);
            lockDirectory();
            if (options.fresh) {
                ClusterFiles.deleteContents(dir, LOCK_FILE_NAME);
            }
            layout = chooseLayout();
            layout.store(dir);
            shutdownHook = Thread.ofPlatform().name("meridian-local-cluster-shutdown").unstarted(this::stopAllOnExit);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            beforeLaunch.accept(layout.nodes());
            for (NodeSpec node : layout.nodes()) {
                launch(node);
            }
            long deadlineNanos = System.nanoTime() + options.startTimeout.toNanos();
            for (NodeSpec node : layout.nodes()) {
                awaitServing(running.get(node.id()), deadlineNanos);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    /**
     * Stops one node gracefully: SIGTERM, then SIGKILL if it is still running after the stop
     * timeout. Does nothing if the node is not running.
     *
     * @param nodeId the node
     * @throws IOException if the node survives even SIGKILL
     * @throws IllegalArgumentException for an unknown node
     */
    public synchronized void stop(String nodeId) throws IOException {
        requireNode(nodeId);
        NodeProcess process = running.get(nodeId);
        if (process == null) {
            return;
        }
        options.progress.accept("stopping " + nodeId);
        boolean graceful = process.stop(options.stopTimeout);
        running.remove(nodeId);
        if (!graceful) {
            options.progress.accept(nodeId + " did not stop within " + options.stopTimeout.toMillis() + " ms: killed it");
        }
    }

    /**
     * Kills one node with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is gone:
     * a crash. Does nothing if the node is not running.
     *
     * @param nodeId the node
     * @throws IOException if it is still alive after the kill wait
     * @throws IllegalArgumentException for an unknown node
     */
    public synchronized void kill(String nodeId) throws IOException {
        requireNode(nodeId);
        NodeProcess process = running.get(nodeId);
        if (process == null) {
            return;
        }
        options.progress.accept("killing " + nodeId);
        process.kill();
        running.remove(nodeId);
    }

    /**
     * Starts a node again with the same id, ports, data directory and flags, stopping it first
     * (gracefully) if it is running, and waits until it serves.
     *
     * @param nodeId the node
     * @throws IOException if it does not serve within the start timeout (it is killed then, and
     *                     the message carries the end of its log)
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    public synchronized void restart(String nodeId) throws IOException {
        requireOpen();
        NodeSpec node = requireNode(nodeId);
        stop(nodeId);
        launch(node);
        awaitServing(running.get(nodeId), System.nanoTime() + options.startTimeout.toNanos());
    }

    /**
     * Adds a node that joins the running cluster ({@code --join} the client address of the first
     * running node): the next id {@code n<k>} in the next zone round robin, on free ports (or the next
     * ports after the given bases). The new node is recorded in {@code cluster.properties} before it
     * starts, so a restart of the cluster brings it back.
     *
     * @return the new node
     * @throws IOException if it does not serve within the start timeout (it is killed then)
     * @throws IllegalStateException if no node is running
     */
    public synchronized NodeSpec addNode() throws IOException {
        requireOpen();
        NodeSpec via = layout.nodes().stream().filter(n -> running.containsKey(n.id())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running node to join through"));
        int number = layout.nextNodeNumber();
        List<String> addresses = addressesFor(List.of(number));
        NodeSpec node = new NodeSpec("n" + number, zoneOf(number), addresses.get(0), addresses.get(1),
                via.clientAddress());
        layout = layout.with(node);
        layout.store(dir);
        launch(node);
        awaitServing(running.get(node.id()), System.nanoTime() + options.startTimeout.toNanos());
        return node;
    }

    /**
     * Replaces the extra node flags one node gets from its next start or restart on (instead of
     * the flags given to every node, which it then no longer gets).
     *
     * @param nodeId the node
     * @param flags  its flags, e.g. {@code ["--epsilon", "20ms"]}
     */
    public synchronized void setNodeFlags(String nodeId, List<String> flags) {
        flagsByNode.put(nodeId, List.copyOf(flags));
    }

    /**
     * The client ({@code Database}/{@code Admin} gRPC) address of a node.
     *
     * @param nodeId the node
     * @return {@code host:port}, usable as a gRPC target
     * @throws IllegalArgumentException for an unknown node
     */
    public synchronized String clientAddress(String nodeId) {
        return requireNode(nodeId).clientAddress();
    }

    /**
     * Every node of the cluster, running or not, in the order they were created.
     *
     * @return the nodes (empty before {@link #start()})
     */
    public synchronized List<NodeSpec> nodes() {
        return layout.nodes();
    }

    /**
     * Whether a node's process is running (it may not be serving: it may have crashed since).
     *
     * @param nodeId the node
     * @return true if this cluster started it and it is alive
     */
    public boolean isRunning(String nodeId) {
        NodeProcess process = running.get(nodeId);
        return process != null && process.isAlive();
    }

    /**
     * The operating-system process id of a running node.
     *
     * @param nodeId the node
     * @return its pid, or empty if it is not running
     */
    public OptionalLong pid(String nodeId) {
        NodeProcess process = running.get(nodeId);
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /**
     * The file a node's stdout and stderr are appended to.
     *
     * @param nodeId the node
     * @return {@code <dir>/<node id>.log}
     */
    public Path logFile(String nodeId) {
        return dir.resolve(nodeId + ".log");
    }

    /**
     * The directory holding the cluster's files.
     *
     * @return the absolute data directory
     */
    public Path dir() {
        return dir;
    }

    /**
     * Whether {@link #start()} found and reused an existing {@code cluster.properties}.
     *
     * @return true for a restarted cluster
     */
    public synchronized boolean reused() {
        return reused;
    }

    /**
     * Stops every running node (SIGTERM to all, then SIGKILL to those still running after the stop
     * timeout) and releases the directory. Idempotent.
     *
     * @throws IOException if a node survives even SIGKILL
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopAll();
        } finally {
            removeShutdownHook();
            unlockDirectory();
        }
    }

    private void launch(NodeSpec node) throws IOException {
        List<String> flags = flagsByNode.getOrDefault(node.id(), options.nodeFlags);
        List<String> line = new ArrayList<>(launchPrefixByNode.getOrDefault(node.id(), List.of()));
        line.addAll(command.withMoreJvmFlags(jvmFlagsByNode.getOrDefault(node.id(), List.of()))
                .commandFor(node, layout, dir.resolve(node.id()), flags));
        options.progress.accept("starting " + node.id() + " on " + node.clientAddress() + " (raft " + node.raftAddress()
                + ", zone " + node.zone() + "), log " + logFile(node.id()));
        NodeProcess process = NodeProcess.launch(node, line, dir, logFile(node.id()));
        running.put(node.id(), process);
        if (exiting) {
            // The shutdown hook may have taken its list of nodes before this one existed.
            process.destroyNow();
            throw new IOException("the JVM is exiting: " + node.id() + " not started");
        }
    }

    private void awaitServing(NodeProcess process, long deadlineNanos) throws IOException {
        try {
            process.awaitServing(deadlineNanos);
        } catch (IOException e) {
            process.destroyNow();
            process.waitFor(NodeProcess.KILL_WAIT);
            running.remove(process.spec().id(), process);
            throw e;
        }
        options.progress.accept(process.servingLine());
    }

    private ClusterLayout chooseLayout() throws IOException {
        var saved = ClusterLayout.load(dir);
        if (saved.isPresent()) {
            if (options.layout != null && !options.layout.equals(saved.get())) {
                throw new IOException(dir + " holds a different cluster (" + ClusterLayout.FILE_NAME + "): "
                        + saved.get().nodes() + "; delete the directory to start a new one");
            }
            reused = true;
            return saved.get();
        }
        if (options.layout != null) {
            return options.layout;
        }
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= options.nodeCount; i++) {
            numbers.add(i);
        }
        List<String> addresses = addressesFor(numbers);
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            int number = numbers.get(i);
            nodes.add(NodeSpec.initialMember("n" + number, zoneOf(number), addresses.get(2 * i),
                    addresses.get(2 * i + 1)));
        }
        return new ClusterLayout(nodes);
    }

    /** The zone of node {@code n<number>}: round robin over the zones. */
    private String zoneOf(int number) {
        return "z" + ((number - 1) % options.zoneCount + 1);
    }

    /** Client and Raft addresses, interleaved, for the given node numbers. */
    private List<String> addressesFor(List<Integer> numbers) throws IOException {
        List<String> addresses = new ArrayList<>();
        if (options.clientPortBase > 0) {
            for (int number : numbers) {
                String host = hostOfNode.apply("n" + number);
                addresses.add(host + ":" + (options.clientPortBase + number - 1));
                addresses.add(host + ":" + (options.raftPortBase + number - 1));
            }
            return addresses;
        }
        List<Integer> ports = FreePorts.pick(2 * numbers.size());
        for (int i = 0; i < ports.size(); i++) {
            addresses.add(hostOfNode.apply("n" + numbers.get(i / 2)) + ":" + ports.get(i));
        }
        return addresses;
    }

    /** Stops every running node, gracefully first, with one shared deadline. */
    private void stopAll() throws IOException {
        Map<String, NodeProcess> stopping = new LinkedHashMap<>();
        for (NodeSpec node : layout.nodes()) {
            NodeProcess process = running.get(node.id());
            if (process != null) {
                stopping.put(node.id(), process);
            }
        }
        running.forEach(stopping::putIfAbsent);
        if (stopping.isEmpty()) {
            return;
        }
        options.progress.accept("stopping " + String.join(", ", stopping.keySet()));
        stopping.values().forEach(NodeProcess::terminateNow);
        long deadlineNanos = System.nanoTime() + options.stopTimeout.toNanos();
        IOException failure = null;
        for (NodeProcess process : stopping.values()) {
            Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
            try {
                if (!process.waitFor(left)) {
                    options.progress.accept(process.spec().id() + " did not stop in time: killing it");
                    process.kill();
                }
                running.remove(process.spec().id(), process);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The shutdown hook: the same as close(), without the lock the main thread may hold. */
    private void stopAllOnExit() {
        exiting = true;
        try {
            stopAll();
        } catch (IOException e) {
            running.values().forEach(NodeProcess::destroyNow);
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
        shutdownHook = null;
    }

    private void lockDirectory() throws IOException {
        lockChannel = FileChannel.open(dir.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean locked;
        try {
            locked = lockChannel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            locked = false; // this JVM already runs a cluster there
        }
        if (!locked) {
            lockChannel.close();
            lockChannel = null;
            throw new IOException("another launcher is running the cluster in " + dir);
        }
    }

    private void unlockDirectory() throws IOException {
        if (lockChannel != null) {
            lockChannel.close(); // releases the lock
            lockChannel = null;
        }
    }

    private NodeSpec requireNode(String nodeId) {
        return layout.node(nodeId).orElseThrow(() -> new IllegalArgumentException("no node '" + nodeId + "' in " + dir));
    }

    private void requireOpen() {
        if (!started || closed) {
            throw new IllegalStateException(closed ? "the cluster is closed" : "the cluster is not started");
        }
    }
}
