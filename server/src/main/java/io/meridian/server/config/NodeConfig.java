package io.meridian.server.config;

import io.meridian.groups.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node needs to start, as {@link NodeConfigParser} read it from flags and an
 * optional properties file. Immutable; checked on construction for what one value can say alone
 * ({@link NodeConfigParser} checks the combinations and names the flags).
 *
 * @param id this node's id, unique in the cluster ({@code --id})
 * @param listen the client gRPC endpoint, also serving the internal node service ({@code --listen})
 * @param raft the Raft endpoint ({@code --raft})
 * @param dataDir where the store, the Raft logs and the identity file live ({@code --data})
 * @param region the node's region, for placement and nearest-replica reads ({@code --region})
 * @param zone the node's zone ({@code --zone})
 * @param cluster the cluster's name ({@code --cluster}, default {@code meridian})
 * @param initialMembers the first cluster's nodes when bootstrapping ({@code --initial-members});
 *     empty when joining or restarting
 * @param join client endpoints of existing nodes to register through ({@code --join}); empty
 *     when bootstrapping
 * @param epsilon the fixed uncertainty of the system time source ({@code --epsilon})
 * @param maxEpsilon above this uncertainty the node fences itself ({@code --max-epsilon})
 * @param rangeSplitBytes a range larger than this is split in two ({@code --range-split-bytes})
 * @param electionTimeoutMin the lower Raft election timeout, when set
 *     ({@code --election-timeout-min})
 * @param electionTimeoutMax the upper Raft election timeout, when set
 *     ({@code --election-timeout-max})
 * @param clockOffsetFile for fault injection only: a file holding microseconds the node adds to
 *     its system clock, re-read while it runs ({@code --clock-offset-file})
 */
public record NodeConfig(
        NodeId id,
        HostPort listen,
        HostPort raft,
        Path dataDir,
        String region,
        String zone,
        String cluster,
        List<InitialMember> initialMembers,
        List<HostPort> join,
        Duration epsilon,
        Duration maxEpsilon,
        long rangeSplitBytes,
        Optional<Duration> electionTimeoutMin,
        Optional<Duration> electionTimeoutMax,
        Optional<Path> clockOffsetFile) {

    /** The cluster name when none is given. */
    public static final String DEFAULT_CLUSTER = "meridian";

    /** Region and zone when none is given. */
    public static final String DEFAULT_LOCATION = "local";

    /** The split threshold when none is given: 64 MiB. */
    public static final long DEFAULT_RANGE_SPLIT_BYTES = 64L << 20;

    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(cluster, "cluster");
        initialMembers = List.copyOf(initialMembers);
        join = List.copyOf(join);
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(maxEpsilon, "maxEpsilon");
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(clockOffsetFile, "clockOffsetFile");
        if (rangeSplitBytes <= 0) {
            throw new IllegalArgumentException("range split bytes must be positive, was " + rangeSplitBytes);
        }
    }

    /** True when this node was asked to bootstrap a new cluster. */
    public boolean bootstraps() {
        return !initialMembers.isEmpty();
    }

    /** The store's directory inside the data directory. */
    public Path storeDir() {
        return dataDir.resolve("store");
    }

    /** The Raft storage directory inside the data directory. */
    public Path raftDir() {
        return dataDir.resolve("raft");
    }
}
