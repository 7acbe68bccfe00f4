package io.meridian.server.node;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.truetime.PeerCheckedTimeSource;
import io.meridian.truetime.PeerCheckedTimeSource.PeerReading;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.grpc.GrpcTimeMasterClient;
import io.meridian.truetime.system.SystemClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Checks this node's clock against its peers every {@link #INTERVAL}: asks every other node of
 * the cluster for its TrueTime ({@code TimeMaster/Now}, served by every node), widens each answer
 * by the round trip, and lets {@link PeerCheckedTimeSource} judge. A node whose clock a majority
 * of its peers disagree with gets a wider ε, and the fence stops it serving once ε passes
 * {@code --max-epsilon}; it serves again once a check agrees. Changes are reported on stderr.
 */
final class PeerClockCheck implements AutoCloseable {

    /** Time between two checks. */
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** How long a check waits for a peer's answer. */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(150);

    private final String self;
    private final PeerCheckedTimeSource source;
    private final Supplier<List<NodeRecord>> nodes;
    private final Scheduler scheduler;
    private final Executor background;
    private final BooleanSupplier closed;
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private long reportedWiden;

    /**
     * @param self      this node's id
     * @param source    the node's TrueTime
     * @param nodes     the cluster's nodes as the directory knows them now
     * @param scheduler  times the checks
     * @param background runs them (reading the directory may wait for another node)
     * @param closed     true once the node is closing: checks stop
     */
    PeerClockCheck(String self, PeerCheckedTimeSource source, Supplier<List<NodeRecord>> nodes,
            Scheduler scheduler, Executor background, BooleanSupplier closed) {
        this.self = self;
        this.source = source;
        this.nodes = nodes;
        this.scheduler = scheduler;
        this.background = background;
        this.closed = closed;
    }

    /** Starts checking. */
    void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        if (!closed.getAsBoolean()) {
            scheduler.schedule(() -> background.execute(this::checkAndReschedule), INTERVAL);
        }
    }

    private void checkAndReschedule() {
        if (closed.getAsBoolean()) {
            return;
        }
        List<NodeRecord> peers;
        try {
            peers = nodes.get().stream().filter(node -> !node.getNodeId().equals(self)).toList();
        } catch (RuntimeException noDirectoryYet) {
            peers = List.of();
        }
        List<CompletableFuture<PeerReading>> answers = new ArrayList<>();
        for (NodeRecord peer : peers) {
            answers.add(ask(peer));
        }
        int peerCount = peers.size();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            List<PeerReading> readings = new ArrayList<>();
            for (CompletableFuture<PeerReading> answer : answers) {
                if (!answer.isCompletedExceptionally()) {
                    readings.add(answer.join());
                }
            }
            report(source.check(readings, peerCount), readings);
            return null;
        }).whenComplete((ignored, failure) -> scheduleNext());
    }

    private CompletableFuture<PeerReading> ask(NodeRecord peer) {
        ManagedChannel channel;
        synchronized (channels) {
            channel = channels.computeIfAbsent(peer.getAddress(),
                    address -> ManagedChannelBuilder.forTarget(address).usePlaintext().build());
        }
        long sentMicros = SystemClock.INSTANCE.monotonicMicros();
        return new GrpcTimeMasterClient(peer.getNodeId(), channel, ANSWER_WAIT).now().thenApply(interval -> {
            long roundTrip = SystemClock.INSTANCE.monotonicMicros() - sentMicros;
            TTInterval reading = new TTInterval(interval.earliestMicros(),
                    Math.addExact(interval.latestMicros(), roundTrip));
            return new PeerReading(peer.getNodeId(), reading, source.localNow());
        });
    }

    private synchronized void report(long widen, List<PeerReading> readings) {
        if ((widen == 0) != (reportedWiden == 0)) {
            System.err.println(widen == 0 ? "meridian: clock agrees with the peers again; TrueTime ε back to normal"
                    : "meridian: clock disagrees with a majority of peers by at least " + widen
                            + " µs; TrueTime ε widened by that much (gaps: " + gaps(readings) + ")");
        }
        reportedWiden = widen;
    }

    private static String gaps(List<PeerReading> readings) {
        List<String> gaps = new ArrayList<>();
        readings.forEach(reading -> gaps.add(reading.peer() + " " + reading.gapMicros() + " µs"));
        return String.join(", ", gaps);
    }

    /** Closes the channels to the peers. */
    @Override
    public void close() {
        synchronized (channels) {
            channels.values().forEach(ManagedChannel::shutdownNow);
            channels.clear();
        }
    }
}
