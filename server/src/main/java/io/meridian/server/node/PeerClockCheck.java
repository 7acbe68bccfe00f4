package io.meridian.server.node;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.truetime.PeerCheckedTimeSource;
import io.meridian.truetime.PeerCheckedTimeSource.PeerReading;
import io.meridian.truetime.Scheduler;
import io.meridian.truetime.StepCheckedTimeSource;
import io.meridian.truetime.StepCheckedTimeSource.StepWitness;
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
 * {@code --max-epsilon}; it serves again once a check agrees. While the wall clock is stepped
 * ({@link StepCheckedTimeSource}), the same answers judge the step: a majority siding with the
 * stepped wall makes it the new baseline. Changes are reported on stderr, steps included.
 *
 * <p>The first check runs at once. Until one is answered by a majority of the peers, an unchecked
 * source ({@link PeerCheckedTimeSource#unchecked}) claims no time, so the node serves nothing.
 * The first check asks the nodes of the node's configuration (reading the directory needs the
 * meta group, whose leases may need this node's time); later checks ask the directory's nodes, or
 * the configured ones while the directory names no other node.
 */
final class PeerClockCheck implements AutoCloseable {

    /** Time between two checks. */
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** How long a check waits for a peer's answer. */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(150);
    /**
     * How long the checks before the first judged one wait: the node serves nothing until one is
     * answered by a majority, and a busy machine can be slow to answer. A slow answer is widened
     * by its round trip, so it stays honest, only less telling.
     */
    private static final Duration FIRST_ANSWER_WAIT = Duration.ofSeconds(2);

    /** Steps smaller than this (µs), or moving by less since the last report, are not reported. */
    private static final long STEP_REPORT_MICROS = 100;

    private final String self;
    private final PeerCheckedTimeSource source;
    private final StepCheckedTimeSource steps;
    private final Supplier<List<NodeRecord>> nodes;
    private final List<NodeRecord> configuredPeers;
    private final Scheduler scheduler;
    private final Executor background;
    private final BooleanSupplier closed;
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private long reportedWiden;
    private long reportedStep;

    /** One peer's answer, set against the local interval and against both sides of a step. */
    private record Answer(PeerReading reading, StepWitness witness) {
    }

    /**
     * @param self      this node's id
     * @param source    the node's TrueTime
     * @param steps     the local source under it, which catches steps of the wall clock
     * @param nodes     the cluster's nodes as the directory knows them now
     * @param configuredPeers the other nodes this node's configuration names, asked while the
     *                  directory names no other node
     * @param scheduler  times the checks
     * @param background runs them (reading the directory may wait for another node)
     * @param closed     true once the node is closing: checks stop
     */
    PeerClockCheck(String self, PeerCheckedTimeSource source, StepCheckedTimeSource steps,
            Supplier<List<NodeRecord>> nodes, List<NodeRecord> configuredPeers, Scheduler scheduler,
            Executor background, BooleanSupplier closed) {
        this.self = self;
        this.source = source;
        this.steps = steps;
        this.nodes = nodes;
        this.configuredPeers = List.copyOf(configuredPeers);
        this.scheduler = scheduler;
        this.background = background;
        this.closed = closed;
    }

    /** Starts checking, with a first check at once. */
    void start() {
        background.execute(this::checkAndReschedule);
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
        List<NodeRecord> peers = List.of();
        if (source.checked()) {
            try {
                peers = nodes.get().stream().filter(node -> !node.getNodeId().equals(self)).toList();
            } catch (RuntimeException noDirectoryYet) {
                peers = List.of();
            }
        }
        if (peers.isEmpty()) {
            // Unchecked, the node cannot read the directory: that needs the meta group, whose
            // leases need this node's time. Its configuration names its first peers.
            peers = configuredPeers;
        }
        long step = steps.stepMicros();
        reportStep(step);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        Duration wait = source.checked() ? ANSWER_WAIT : FIRST_ANSWER_WAIT;
        for (NodeRecord peer : peers) {
            answers.add(ask(peer, wait));
        }
        int peerCount = peers.size();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            List<PeerReading> readings = new ArrayList<>();
            List<StepWitness> witnesses = new ArrayList<>();
            for (CompletableFuture<Answer> answer : answers) {
                if (!answer.isCompletedExceptionally()) {
                    readings.add(answer.join().reading());
                    witnesses.add(answer.join().witness());
                }
            }
            boolean wasChecked = source.checked();
            report(source.check(readings, peerCount), readings);
            if (!wasChecked && source.checked()) {
                System.err.println("meridian: clock checked against " + readings.size() + " of " + peerCount
                        + " peers; TrueTime in service");
            }
            if (steps.judgeStep(step, witnesses, peerCount)) {
                System.err.println("meridian: a majority of peers side with the wall clock's step of " + signed(step)
                        + " µs; it is the new baseline and TrueTime ε is back to normal");
                reportStep(0);
            }
            return null;
        }).whenComplete((ignored, failure) -> scheduleNext());
    }

    private synchronized void reportStep(long measured) {
        // A few µs either way is the bracket of the readings, not a step worth a line.
        long step = Math.abs(measured) < STEP_REPORT_MICROS ? 0 : measured;
        if (step == reportedStep || (step != 0 && Math.abs(step - reportedStep) < STEP_REPORT_MICROS)) {
            return;
        }
        System.err.println(step == 0 ? "meridian: wall clock back in line with the monotonic clock; TrueTime ε back to normal"
                : "meridian: wall clock stepped " + signed(step) + " µs against the monotonic clock; TrueTime ε widened by "
                        + Math.abs(step) + " µs until the step is undone or the peers side with it");
        reportedStep = step;
    }

    private static String signed(long micros) {
        return (micros > 0 ? "+" : "") + micros;
    }

    private CompletableFuture<Answer> ask(NodeRecord peer, Duration wait) {
        ManagedChannel channel;
        synchronized (channels) {
            channel = channels.computeIfAbsent(peer.getAddress(),
                    address -> ManagedChannelBuilder.forTarget(address).usePlaintext().build());
        }
        if (!source.checked()) {
            // Peers of a starting cluster come up one by one: a channel that failed to connect a
            // moment ago must try again now, not after gRPC's reconnect backoff (seconds).
            channel.resetConnectBackoff();
        }
        long sentMicros = SystemClock.INSTANCE.monotonicMicros();
        return new GrpcTimeMasterClient(peer.getNodeId(), channel, wait).now().thenApply(interval -> {
            long roundTrip = SystemClock.INSTANCE.monotonicMicros() - sentMicros;
            TTInterval reading = new TTInterval(interval.earliestMicros(),
                    Math.addExact(interval.latestMicros(), roundTrip));
            return new Answer(new PeerReading(peer.getNodeId(), reading, source.localNow()),
                    new StepWitness(peer.getNodeId(), reading, steps.wallNow(), steps.baselineNow()));
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
