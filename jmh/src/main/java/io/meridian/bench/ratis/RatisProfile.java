package io.meridian.bench.ratis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * A named set of Ratis properties (key → value, exactly as Ratis spells them) that the driver
 * hands, unchanged, to every server JVM ({@code --prop key=value}) and to its own client. Only
 * what differs from Ratis 3.3.0's defaults is in the map, so printing it says exactly what a run
 * changed. The per-server keys (storage directory, port) are set by {@link BareRatisServer}.
 */
final class RatisProfile {

    /** Meridian's planned election timeouts (Ratis {@code raft.server.rpc.timeout.min/max}). */
    static final Duration MERIDIAN_ELECTION_MIN = Duration.ofSeconds(1);
    static final Duration MERIDIAN_ELECTION_MAX = Duration.ofSeconds(2);

    private final String name;
    private final Map<String, String> props;

    private RatisProfile(String name, Map<String, String> props) {
        this.name = name;
        this.props = props;
    }

    /** Nothing changed: Ratis 3.3.0 as shipped (election timeout 150–300 ms, heartbeat every ~75 ms). */
    static RatisProfile ratisDefaults() {
        return new RatisProfile("ratis-defaults", new LinkedHashMap<>());
    }

    /**
     * The floor's base: Meridian's election timeouts and fsync on or off. "Off" is Ratis's
     * {@code unsafe-flush}: the log is still written and forced, but on a background thread, and
     * an entry counts as flushed as soon as it is handed to the OS (the closest Ratis 3.3.0 has to
     * turning fsync off; a crash of a majority can lose acknowledged writes).
     */
    static RatisProfile floor(Duration electionMin, Duration electionMax, boolean fsync) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(RaftServerConfigKeys.Rpc.TIMEOUT_MIN_KEY, Args.ratisDuration(electionMin));
        p.put(RaftServerConfigKeys.Rpc.TIMEOUT_MAX_KEY, Args.ratisDuration(electionMax));
        if (!fsync) {
            p.put(RaftServerConfigKeys.Log.UNSAFE_FLUSH_ENABLED_KEY, "true");
        }
        return new RatisProfile(fsync ? "fsync-on" : "fsync-off", p);
    }

    /**
     * Every pool knob Ratis 3.3.0 offers set to its most sharing value: the per-division server
     * and client executors and the per-server proxy executor cached (elastic, threads expire
     * after 60 s idle) rather than fixed; the gRPC request executor cached; Netty's event loops
     * sized to the core count instead of 2 × cores. Note: in 3.3.0 the three {@code threadpool.*.cached}
     * flags already default to true, and none of them shares a pool between divisions: each
     * division still has its own log worker, state-machine updater, follower/appender daemons.
     */
    static RatisProfile pools() {
        Map<String, String> p = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        p.put(RaftServerConfigKeys.ThreadPool.PROXY_CACHED_KEY, "true");
        p.put(RaftServerConfigKeys.ThreadPool.SERVER_CACHED_KEY, "true");
        p.put(RaftServerConfigKeys.ThreadPool.CLIENT_CACHED_KEY, "true");
        p.put(GrpcConfigKeys.Server.ASYNC_REQUEST_THREAD_POOL_CACHED_KEY, "true");
        p.put(GrpcConfigKeys.Server.WORKER_GROUP_SIZE_KEY, Integer.toString(cores));
        p.put(GrpcConfigKeys.Server.BOSS_GROUP_SIZE_KEY, "1");
        p.put(GrpcConfigKeys.Client.WORKER_GROUP_SIZE_KEY, Integer.toString(cores));
        return new RatisProfile("pools", p);
    }

    /** Looks a profile up by the names {@link MultiRaftCost} accepts. */
    static RatisProfile named(String name) {
        return switch (name) {
            case "ratis-defaults" -> ratisDefaults();
            case "pools" -> pools();
            // pools + Meridian's 1 s / 2 s election timeout: heartbeats every ~500 ms instead of ~75 ms.
            case "pools-hb1s" -> pools().with(RaftServerConfigKeys.Rpc.TIMEOUT_MIN_KEY, "1000ms")
                    .with(RaftServerConfigKeys.Rpc.TIMEOUT_MAX_KEY, "2000ms").renamed(name);
            // pools + 3 s / 6 s: heartbeats every ~1.5 s.
            case "pools-hb3s" -> pools().with(RaftServerConfigKeys.Rpc.TIMEOUT_MIN_KEY, "3000ms")
                    .with(RaftServerConfigKeys.Rpc.TIMEOUT_MAX_KEY, "6000ms").renamed(name);
            // pools-hb1s + a 1 MiB log write buffer per division instead of 8 MiB (the buffer must
            // hold the largest log entry, and the appender's batch limit must fit in it).
            case "pools-hb1s-slim" -> named("pools-hb1s")
                    .with(RaftServerConfigKeys.Log.WRITE_BUFFER_SIZE_KEY, "1056768") // 1 MiB + 8 KiB
                    .with(RaftServerConfigKeys.Log.Appender.BUFFER_BYTE_LIMIT_KEY, "1048576")
                    .renamed(name);
            default -> throw new IllegalArgumentException("unknown profile '" + name
                    + "' (known: ratis-defaults, pools, pools-hb1s, pools-hb3s, pools-hb1s-slim)");
        };
    }

    /** This profile plus one property (replacing an earlier value of the same key). */
    RatisProfile with(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(key, value);
        return new RatisProfile(name, p);
    }

    /** This profile plus {@code key=value} strings from the command line. */
    RatisProfile withAll(List<String> keyValues) {
        RatisProfile out = this;
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--prop wants key=value, got '" + kv + "'");
            }
            out = out.with(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }

    RatisProfile renamed(String newName) {
        return new RatisProfile(newName, props);
    }

    String name() {
        return name;
    }

    Map<String, String> props() {
        return Collections.unmodifiableMap(props);
    }

    /** {@code --prop k=v} pairs for a server JVM's command line. */
    List<String> toArgs() {
        List<String> out = new ArrayList<>();
        props.forEach((k, v) -> {
            out.add("--prop");
            out.add(k + "=" + v);
        });
        return out;
    }

    /** Fresh {@link RaftProperties} with gRPC transport and this profile's values. */
    RaftProperties toRaftProperties() {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        props.forEach(p::set);
        return p;
    }

    @Override
    public String toString() {
        return name + (props.isEmpty() ? " {}" : " " + props);
    }
}
