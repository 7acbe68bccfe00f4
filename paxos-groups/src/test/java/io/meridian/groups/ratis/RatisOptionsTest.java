package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.groups.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;

/**
 * Shows the options a host runs with: the defaults, the checks that refuse timings Raft cannot
 * work with, and that each option reaches the Ratis property it is meant for (including the
 * derived entry-size limits Ratis checks against each other at start-up).
 */
class RatisOptionsTest {

    private static final RatisOptions DEFAULTS = RatisOptions.defaults(new NodeId("n1"), "127.0.0.1", 9870, Path.of("/tmp/x"));

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(Duration.ofMillis(RatisOptions.ELECTION_TIMEOUT_MIN_MILLIS), DEFAULTS.electionTimeoutMin());
        assertEquals(Duration.ofMillis(RatisOptions.ELECTION_TIMEOUT_MAX_MILLIS), DEFAULTS.electionTimeoutMax());
        assertEquals(10_000, DEFAULTS.snapshotThresholdEntries());
        assertEquals("127.0.0.1:9870", DEFAULTS.raftAddress());
    }

    @Test
    void timingsRaftCannotWorkWithAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withElectionTimeout(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withElectionTimeout(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RatisOptions(DEFAULTS.node(), "h", 0,
                DEFAULTS.storageDirectory(), DEFAULTS.electionTimeoutMin(), DEFAULTS.electionTimeoutMax(),
                DEFAULTS.requestTimeout(), 1, 0, 1 << 20, 1 << 20, RatisOptions.ThreadPool.CACHED_UNBOUNDED,
                RatisOptions.ThreadPool.CACHED_UNBOUNDED, RatisOptions.ThreadPool.CACHED_UNBOUNDED,
                RatisOptions.ThreadPool.CACHED_UNBOUNDED, true));
        assertThrows(IllegalArgumentException.class, () -> new RatisOptions.ThreadPool(false, 0));
        // A longer election timeout stretches the request timeout with it.
        RatisOptions slow = DEFAULTS.withElectionTimeout(Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(20), slow.requestTimeout());
    }

    @Test
    void eachOptionReachesItsRatisProperty() {
        RatisOptions options = DEFAULTS.withSnapshots(500, 50).withLogSegmentSizeBytes(1 << 20)
                .withThreadPools(new RatisOptions.ThreadPool(false, 2), new RatisOptions.ThreadPool(false, 3),
                        new RatisOptions.ThreadPool(true, 0), new RatisOptions.ThreadPool(false, 4), false);
        RaftProperties properties = RatisConfiguration.properties(options);

        assertEquals(TimeDuration.valueOf(options.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS),
                RaftServerConfigKeys.Rpc.timeoutMin(properties));
        assertEquals(TimeDuration.valueOf(options.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS),
                RaftServerConfigKeys.Rpc.timeoutMax(properties));
        assertEquals(9870, GrpcConfigKeys.Server.port(properties));
        assertEquals(500, RaftServerConfigKeys.Snapshot.autoTriggerThreshold(properties));
        assertTrue(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(properties));
        assertEquals(50, RaftServerConfigKeys.Log.purgePreservationLogNum(properties));
        assertEquals(1 << 20, RaftServerConfigKeys.Log.segmentSizeMax(properties).getSize());
        assertEquals(3, RaftServerConfigKeys.ThreadPool.serverSize(properties));
        assertEquals(false, RaftServerConfigKeys.ThreadPool.proxyCached(properties));
        assertEquals(4, GrpcConfigKeys.Server.asyncRequestThreadPoolSize(properties));
        assertEquals(false, GrpcConfigKeys.Server.heartbeatChannel(properties));
        int entryMax = RaftServerConfigKeys.Log.Appender.bufferByteLimit(properties).getSizeInt();
        assertTrue(entryMax >= options.commandSizeMaxBytes(), "an entry holds the largest command");
        assertTrue(RaftServerConfigKeys.Log.writeBufferSize(properties).getSize() >= entryMax + 8L,
                "Ratis refuses to start when the write buffer cannot hold the largest entry");
    }
}
