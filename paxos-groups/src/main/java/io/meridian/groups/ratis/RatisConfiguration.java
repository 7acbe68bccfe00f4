package io.meridian.groups.ratis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Turns {@link RatisOptions} into Ratis' {@link RaftProperties}; every Ratis setting Meridian changes is here. */
final class RatisConfiguration {

    /** Headroom between the largest command and Ratis' log entry limit: the entry's own fields. */
    static final int LOG_ENTRY_OVERHEAD_BYTES = 64 << 10;

    /** Ratis' default log write buffer, kept when commands are small enough to fit it. */
    private static final int WRITE_BUFFER_MIN_BYTES = 8 << 20;

    /** Ratis' default preallocation of a new log segment. */
    private static final long PREALLOCATED_MAX_BYTES = 4L << 20;

    /** Snapshot files kept per replica: the newest and the one before it. */
    private static final int SNAPSHOT_FILES_KEPT = 2;

    /** Pairs of (pause, tries) for a leader retrying an unreachable follower. */
    static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,50, 500ms,1000000000";

    private RatisConfiguration() {
    }

    static RaftProperties properties(RatisOptions options) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftServerConfigKeys.setStorageDir(properties, List.of(options.storageDirectory().toFile()));
        GrpcConfigKeys.Server.setHost(properties, options.raftHost());
        GrpcConfigKeys.Server.setPort(properties, options.raftPort());

        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ratis(options.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ratis(options.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, ratis(options.requestTimeout()));

        // The replica snapshots itself every snapshotThresholdEntries applied entries. It takes no
        // snapshot when it stops or is removed: the group state machine is durable on its own, and
        // a removed replica's directory is deleted anyway.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, options.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
        RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(properties, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, SNAPSHOT_FILES_KEPT);

        // After a snapshot the log is purged up to the snapshot's index minus the entries to keep,
        // even if a follower is further behind (it then receives the snapshot): a replica that is
        // down must not make the others' logs grow without bound. Only closed segments are purged,
        // so the purge gap (Ratis' default 1024) is set to 1 and segment size decides instead.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, options.logKeptAfterSnapshotEntries());
        RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(options.logSegmentSizeBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(properties,
                SizeInBytes.valueOf(Math.min(PREALLOCATED_MAX_BYTES, options.logSegmentSizeBytes())));

        // Ratis refuses a log entry larger than the appender's buffer limit, and the log's write
        // buffer must hold one such entry plus 8 bytes of framing.
        int entryMaxBytes = options.commandSizeMaxBytes() + LOG_ENTRY_OVERHEAD_BYTES;
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf(entryMaxBytes));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties,
                SizeInBytes.valueOf(Math.max(WRITE_BUFFER_MIN_BYTES, entryMaxBytes + 8)));
        GrpcConfigKeys.setMessageSizeMax(properties,
                SizeInBytes.valueOf(Math.max(GrpcConfigKeys.MESSAGE_SIZE_MAX_DEFAULT.getSize(), 2L * entryMaxBytes)));

        // A leader retries a follower it cannot reach 10 times at once, then (Ratis' default) every
        // second for 20 tries and every 5 s after that, so a follower that restarts after a short
        // outage may wait seconds for its first entry. Retrying every 100 ms, then every 500 ms,
        // bounds that at about half a second; the count is large because Ratis retries without
        // any pause once it is exhausted.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(properties, APPENDER_RETRY_POLICY);

        RaftServerConfigKeys.ThreadPool.setProxyCached(properties, options.proxyThreadPool().cached());
        RaftServerConfigKeys.ThreadPool.setProxySize(properties, options.proxyThreadPool().threadsMax());
        RaftServerConfigKeys.ThreadPool.setServerCached(properties, options.serverThreadPool().cached());
        RaftServerConfigKeys.ThreadPool.setServerSize(properties, options.serverThreadPool().threadsMax());
        RaftServerConfigKeys.ThreadPool.setClientCached(properties, options.clientThreadPool().cached());
        RaftServerConfigKeys.ThreadPool.setClientSize(properties, options.clientThreadPool().threadsMax());
        GrpcConfigKeys.Server.setAsyncRequestThreadPoolCached(properties, options.grpcRequestThreadPool().cached());
        GrpcConfigKeys.Server.setAsyncRequestThreadPoolSize(properties, options.grpcRequestThreadPool().threadsMax());
        GrpcConfigKeys.Server.setHeartbeatChannel(properties, options.grpcHeartbeatChannel());
        return properties;
    }

    static TimeDuration ratis(Duration duration) {
        return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
