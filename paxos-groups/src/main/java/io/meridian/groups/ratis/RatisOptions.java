package io.meridian.groups.ratis;

import io.meridian.groups.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node's {@link RatisReplicationHost} runs: its identity and endpoint, where it keeps its
 * logs, its Raft timing, snapshot and log retention, and Ratis' thread pools. Start from
 * {@link #defaults} and change what a deployment or a test needs with the {@code with…} methods.
 *
 * <h2>Timing defaults, and what they are based on</h2>
 * Ratis' own defaults (election timeout 150–300 ms, heartbeats every 75 ms) flap on a busy 2-core
 * machine: a starved heartbeat thread or a long GC pause starts an election. Measured with
 * {@code RatisTimingMeasurement} on this project's 2-core build machine (JDK 25, three hosts in one
 * JVM, while other builds kept the load average between 13 and 39): 10 idle groups of 3 replicas
 * for 60 s, counting leadership changes; then the host leading the most groups is closed and the
 * time from the close call until each of its groups has a new leader that accepts proposals is
 * taken (the close, which takes about a second, runs beside the clock; earlier runs that waited
 * for it count only for the leadership changes).
 * <table>
 *   <caption>Leadership changes while idle and fail-over times by election timeout, per run</caption>
 *   <tr><th>election timeout</th><th>changes in 60 s idle</th><th>fail-over (min–max)</th></tr>
 *   <tr><td>150–300 ms (Ratis)</td><td>43; 0</td><td>1.8–2.3 s</td></tr>
 *   <tr><td>300–600 ms</td><td>0; 0; 59 (load 39)</td><td>2.8–12.9 s</td></tr>
 *   <tr><td>500–1000 ms</td><td>0; 0; 7; 0</td><td>0.6–1.7 s; 0.9–1.1 s; 0.7–1.1 s</td></tr>
 *   <tr><td>750–1500 ms</td><td>0</td><td>2.2–2.7 s</td></tr>
 *   <tr><td>1000–2000 ms</td><td>0; 0; 0</td><td>3.7–4.3 s; 1.5–2.3 s</td></tr>
 * </table>
 * The default is {@value #ELECTION_TIMEOUT_MIN_MILLIS}–{@value #ELECTION_TIMEOUT_MAX_MILLIS} ms: it
 * fails over in about a second and stayed quiet in most idle minutes even on this overloaded
 * machine; where leadership must not move under such overload, 1000–2000 ms never flapped here
 * but fails over in 2–4 s. A follower notices a lost leader between one and two of its random
 * timeouts (Ratis sleeps a random timeout, then checks the time since the last heartbeat), then
 * needs a pre-vote and a vote; a split vote costs another timeout. The leader sends heartbeats
 * every half minimum timeout. The same runs show 6–9 live threads per group replica when idle.
 *
 * @param node this node; also its Raft peer id
 * @param raftHost the host name or address the Raft gRPC endpoint binds to
 * @param raftPort the port the Raft gRPC endpoint binds to; must be fixed, since other nodes
 *     find this one at the address recorded in each group's configuration
 * @param storageDirectory the directory holding one sub-directory (named by group UUID) per
 *     group replica: its Raft log, metadata and snapshot files
 * @param electionTimeoutMin the shortest time a follower waits without hearing from a leader
 *     before it starts an election; the leader sends heartbeats every half of it
 * @param electionTimeoutMax the longest such time; each wait is random between the two
 * @param requestTimeout the bound on one proposal (from the call until the command is applied at
 *     this leader) and on Raft RPCs between servers; a proposal that exceeds it fails as
 *     ambiguous
 * @param snapshotThresholdEntries a replica snapshots its state machine once this many entries
 *     were applied since its last snapshot (default 10,000), which lets it drop log segments
 * @param logKeptAfterSnapshotEntries how many entries before a snapshot's index stay in the log
 *     after the snapshot (default 1,000): a follower lagging by fewer catches up from the log
 *     instead of receiving the whole snapshot
 * @param logSegmentSizeBytes the size at which a log segment file is closed and a new one
 *     started (default 8 MiB); only closed segments are purged, so smaller segments free disk
 *     sooner after a snapshot
 * @param commandSizeMaxBytes the largest command {@link RatisReplicatedLog#propose} accepts
 *     (default 4 MiB, Ratis' own limit). Each group replica allocates a direct write buffer of
 *     at least this size (8 MiB at the default), so raising it costs memory per group
 * @param proxyThreadPool the server-wide pool Ratis uses to load groups at start-up
 * @param serverThreadPool each group replica's pool for server-to-server requests
 * @param clientThreadPool each group replica's pool for proposals and admin requests
 * @param grpcRequestThreadPool the server-wide gRPC pool that serves asynchronous requests
 * @param grpcHeartbeatChannel whether a leader sends heartbeats on a separate gRPC stream per
 *     follower (Ratis' default), so that large appends cannot delay them
 */
public record RatisOptions(
        NodeId node,
        String raftHost,
        int raftPort,
        Path storageDirectory,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        Duration requestTimeout,
        long snapshotThresholdEntries,
        long logKeptAfterSnapshotEntries,
        long logSegmentSizeBytes,
        int commandSizeMaxBytes,
        ThreadPool proxyThreadPool,
        ThreadPool serverThreadPool,
        ThreadPool clientThreadPool,
        ThreadPool grpcRequestThreadPool,
        boolean grpcHeartbeatChannel) {

    /** Default shortest election timeout, in milliseconds. */
    public static final long ELECTION_TIMEOUT_MIN_MILLIS = 500;
    /** Default longest election timeout, in milliseconds. */
    public static final long ELECTION_TIMEOUT_MAX_MILLIS = 1000;
    /** Default bound on a proposal and on Raft RPCs, in milliseconds. */
    public static final long REQUEST_TIMEOUT_MILLIS = 5000;
    /** Default number of applied entries between two snapshots of a replica. */
    public static final long SNAPSHOT_THRESHOLD_ENTRIES = 10_000;
    /** Default number of entries kept in the log before a snapshot's index. */
    public static final long LOG_KEPT_AFTER_SNAPSHOT_ENTRIES = 1_000;
    /** Default log segment size, in bytes. */
    public static final long LOG_SEGMENT_SIZE_BYTES = 8L << 20;
    /** Default largest command, in bytes. */
    public static final int COMMAND_SIZE_MAX_BYTES = 4 << 20;

    /**
     * One of Ratis' thread pools. A cached pool starts threads on demand and ends them after 60 s
     * idle; a fixed pool keeps {@code threadsMax} threads. Beware a Ratis 3.3.0 quirk: a cached
     * pool with {@code threadsMax > 0} is a {@code ThreadPoolExecutor} with no core threads and
     * an unbounded queue, so it never runs more than one thread; only {@code threadsMax == 0}
     * gives an unbounded cached pool.
     *
     * @param cached cached (on demand) rather than fixed
     * @param threadsMax the pool's size; 0 with {@code cached} for no bound
     */
    public record ThreadPool(boolean cached, int threadsMax) {

        /** Ratis' default for its server, client and proxy pools: cached and unbounded. */
        public static final ThreadPool CACHED_UNBOUNDED = new ThreadPool(true, 0);

        /** Checks that a fixed pool has threads. */
        public ThreadPool {
            if (threadsMax < 0 || (!cached && threadsMax == 0)) {
                throw new IllegalArgumentException("a fixed pool needs threadsMax > 0, a cached one >= 0; got "
                        + threadsMax);
            }
        }
    }

    /**
     * Checks the options: a fixed port, {@code 0 < electionTimeoutMin < electionTimeoutMax <
     * requestTimeout}, a snapshot threshold of at least one entry, sizes of at least 1 KiB.
     */
    public RatisOptions {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(raftHost, "raftHost");
        Objects.requireNonNull(storageDirectory, "storageDirectory");
        Objects.requireNonNull(proxyThreadPool, "proxyThreadPool");
        Objects.requireNonNull(serverThreadPool, "serverThreadPool");
        Objects.requireNonNull(clientThreadPool, "clientThreadPool");
        Objects.requireNonNull(grpcRequestThreadPool, "grpcRequestThreadPool");
        if (raftPort <= 0 || raftPort > 65_535) {
            throw new IllegalArgumentException("raftPort must be a fixed port in 1..65535, got " + raftPort);
        }
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero()
                || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("need 0 < electionTimeoutMin < electionTimeoutMax, got "
                    + electionTimeoutMin + " and " + electionTimeoutMax);
        }
        if (requestTimeout.compareTo(electionTimeoutMax) <= 0) {
            throw new IllegalArgumentException("requestTimeout (" + requestTimeout
                    + ") must exceed electionTimeoutMax (" + electionTimeoutMax + ")");
        }
        if (snapshotThresholdEntries < 1 || logKeptAfterSnapshotEntries < 0) {
            throw new IllegalArgumentException("need snapshotThresholdEntries >= 1 and logKeptAfterSnapshotEntries >= 0");
        }
        if (logSegmentSizeBytes < 1024 || commandSizeMaxBytes < 1024) {
            throw new IllegalArgumentException("logSegmentSizeBytes and commandSizeMaxBytes must be at least 1 KiB");
        }
    }

    /**
     * The defaults described on this class for a node that listens on {@code raftHost:raftPort}
     * and keeps its groups under {@code storageDirectory}.
     */
    public static RatisOptions defaults(NodeId node, String raftHost, int raftPort, Path storageDirectory) {
        return new RatisOptions(node, raftHost, raftPort, storageDirectory,
                Duration.ofMillis(ELECTION_TIMEOUT_MIN_MILLIS), Duration.ofMillis(ELECTION_TIMEOUT_MAX_MILLIS),
                Duration.ofMillis(REQUEST_TIMEOUT_MILLIS),
                SNAPSHOT_THRESHOLD_ENTRIES, LOG_KEPT_AFTER_SNAPSHOT_ENTRIES, LOG_SEGMENT_SIZE_BYTES,
                COMMAND_SIZE_MAX_BYTES,
                ThreadPool.CACHED_UNBOUNDED, ThreadPool.CACHED_UNBOUNDED, ThreadPool.CACHED_UNBOUNDED,
                new ThreadPool(true, 32), true);
    }

    /** {@code host:port} of the Raft endpoint: the {@code raftAddress} of this node's replicas. */
    public String raftAddress() {
        return raftHost + ":" + raftPort;
    }

    /** These options with other election timeouts (and a request timeout of at least 2.5 × max). */
    public RatisOptions withElectionTimeout(Duration min, Duration max) {
        Duration request = requestTimeout.compareTo(max.multipliedBy(5).dividedBy(2)) >= 0
                ? requestTimeout : max.multipliedBy(5).dividedBy(2);
        return new RatisOptions(node, raftHost, raftPort, storageDirectory, min, max, request,
                snapshotThresholdEntries, logKeptAfterSnapshotEntries, logSegmentSizeBytes, commandSizeMaxBytes,
                proxyThreadPool, serverThreadPool, clientThreadPool, grpcRequestThreadPool, grpcHeartbeatChannel);
    }

    /** These options with another snapshot threshold and log retention after a snapshot. */
    public RatisOptions withSnapshots(long thresholdEntries, long keptAfterSnapshotEntries) {
        return new RatisOptions(node, raftHost, raftPort, storageDirectory, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, thresholdEntries, keptAfterSnapshotEntries, logSegmentSizeBytes, commandSizeMaxBytes,
                proxyThreadPool, serverThreadPool, clientThreadPool, grpcRequestThreadPool, grpcHeartbeatChannel);
    }

    /** These options with another log segment size. */
    public RatisOptions withLogSegmentSizeBytes(long segmentSizeBytes) {
        return new RatisOptions(node, raftHost, raftPort, storageDirectory, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThresholdEntries, logKeptAfterSnapshotEntries, segmentSizeBytes,
                commandSizeMaxBytes, proxyThreadPool, serverThreadPool, clientThreadPool, grpcRequestThreadPool,
                grpcHeartbeatChannel);
    }

    /** These options with other Ratis thread pools (for benchmarks of threads per group). */
    public RatisOptions withThreadPools(ThreadPool proxy, ThreadPool server, ThreadPool client, ThreadPool grpcRequest,
            boolean heartbeatChannel) {
        return new RatisOptions(node, raftHost, raftPort, storageDirectory, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThresholdEntries, logKeptAfterSnapshotEntries, logSegmentSizeBytes,
                commandSizeMaxBytes, proxy, server, client, grpcRequest, heartbeatChannel);
    }
}
