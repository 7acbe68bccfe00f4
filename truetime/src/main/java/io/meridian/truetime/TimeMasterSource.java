package io.meridian.truetime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TrueTime from a set of time masters (Spanner's timeslave daemon). Every poll interval it asks
 * all masters for their intervals, widens each answer by its round trip, intersects them with
 * {@link Marzullo} (rejecting a minority of liars) and, when a strict majority of the configured
 * masters agree, anchors the agreed interval at the local monotonic time it was received.
 *
 * <p>{@link #now()} is that anchored interval moved forward by the local monotonic time elapsed
 * since the anchor and widened on both sides by {@code driftMicrosPerSecond} per second
 * elapsed: ε is smallest just after a poll and grows linearly until the next one (the sawtooth).
 * The drift bound is stated against the local clock: while the local monotonic clock advances by
 * Δ, true time advances by between {@code Δ·(1 - d)} and {@code Δ·(1 + d)}. If the local clock
 * drifts faster than that, true time can leave the interval; nothing here can detect it.
 *
 * <p>Before the first successful poll {@link #now()} is {@link TTInterval#UNBOUNDED}. A poll
 * without a majority keeps the previous anchor, so ε keeps growing until an
 * {@link EpsilonFence} fences the node; {@link #lastPoll()} says why.
 *
 * <p>Thread-safe. {@link #now()} is lock-free: one volatile read, one clock read, one
 * allocation. Replies may complete on any thread; polls are driven by the {@link Scheduler}.
 */
public final class TimeMasterSource implements TrueTime, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TimeMasterSource.class.getName());
    private static final long MICROS_PER_SECOND = 1_000_000;

    /**
     * How a {@link TimeMasterSource} polls.
     *
     * @param pollInterval         time between the starts of two polls
     * @param pollTimeout          how long a poll waits for replies before deciding with those it
     *                             has; shorter than {@code pollInterval}, so polls never overlap
     * @param driftMicrosPerSecond the assumed bound on local clock drift (Spanner: 200)
     */
    public record Config(Duration pollInterval, Duration pollTimeout, long driftMicrosPerSecond) {

        /** Spanner's assumed worst-case local clock drift: 200 µs per second. */
        public static final long DEFAULT_DRIFT_MICROS_PER_SECOND = 200;

        /** Checks positive durations, timeout below interval, drift in {@code [0, 10^6)}. */
        public Config {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(pollTimeout, "pollTimeout");
            if (pollTimeout.isNegative() || pollTimeout.isZero() || pollTimeout.compareTo(pollInterval) >= 0) {
                throw new IllegalArgumentException(
                        "need 0 < pollTimeout (" + pollTimeout + ") < pollInterval (" + pollInterval + ")");
            }
            if (driftMicrosPerSecond < 0 || driftMicrosPerSecond >= MICROS_PER_SECOND) {
                throw new IllegalArgumentException("drift must be in [0, 1000000) us/s: " + driftMicrosPerSecond);
            }
        }

        /** Poll every second, wait up to 500 ms for replies, assume 200 µs/s drift. */
        public static Config defaults() {
            return new Config(Duration.ofSeconds(1), Duration.ofMillis(500), DEFAULT_DRIFT_MICROS_PER_SECOND);
        }
    }

    /** What one poll concluded: exactly one of {@link Synced} or {@link Unsynced}. */
    public sealed interface PollOutcome permits PollOutcome.Synced, PollOutcome.Unsynced {

        /** Masters that did not answer before the poll timeout, or answered with an error. */
        List<String> silent();

        /**
         * A majority agreed and the source re-anchored.
         *
         * @param agreement the agreement, its interval as of the local anchor time; the
         *                  rejected masters are in {@code agreement.rejected()}
         * @param silent    masters that did not answer
         */
        record Synced(Marzullo.Agreed agreement, List<String> silent) implements PollOutcome {
            /** Copies {@code silent}. */
            public Synced {
                silent = List.copyOf(silent);
            }
        }

        /**
         * No majority agreed; the previous anchor (if any) was kept and ε keeps growing.
         *
         * @param noMajority how far the answers were from a majority
         * @param silent     masters that did not answer
         */
        record Unsynced(Marzullo.NoMajority noMajority, List<String> silent) implements PollOutcome {
            /** Copies {@code silent}. */
            public Unsynced {
                silent = List.copyOf(silent);
            }
        }
    }

    /** The agreed interval and the local monotonic time it describes. */
    private record Anchor(long monotonicMicros, long earliestMicros, long latestMicros) {
    }

    private final Clock clock;
    private final Scheduler scheduler;
    private final List<TimeMasterClient> masters;
    private final long pollIntervalMicros;
    private final long pollTimeoutMicros;
    private final long driftMicrosPerSecond;
    private final AtomicLong roundsStarted = new AtomicLong();

    private volatile Anchor anchor;
    private volatile PollOutcome lastPoll;
    private volatile boolean closed;
    private long roundPublished; // guarded by this
    private Scheduler.Cancellable nextPoll; // guarded by this

    /**
     * Creates a source; nothing is polled until {@link #start()} or {@link #pollOnce()}.
     *
     * @param clock     the local clock; only its monotonic reading is used
     * @param scheduler runs the poll loop and poll timeouts
     * @param masters   one client per master, with distinct ids
     * @param config    poll interval, timeout and drift bound
     */
    public TimeMasterSource(Clock clock, Scheduler scheduler, List<TimeMasterClient> masters, Config config) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.masters = List.copyOf(masters);
        if (this.masters.isEmpty()) {
            throw new IllegalArgumentException("a time-master source needs at least one master");
        }
        HashSet<String> ids = new HashSet<>();
        for (TimeMasterClient master : this.masters) {
            if (!ids.add(master.masterId())) {
                throw new IllegalArgumentException("duplicate master id " + master.masterId());
            }
        }
        this.pollIntervalMicros = TimeUnit.MICROSECONDS.convert(config.pollInterval());
        this.pollTimeoutMicros = TimeUnit.MICROSECONDS.convert(config.pollTimeout());
        this.driftMicrosPerSecond = config.driftMicrosPerSecond();
    }

    /**
     * The current interval: the last agreed interval moved forward by local elapsed time and
     * widened by the drift bound; {@link TTInterval#UNBOUNDED} before the first agreement.
     */
    @Override
    public TTInterval now() {
        Anchor a = anchor;
        if (a == null) {
            return TTInterval.UNBOUNDED;
        }
        return extrapolate(a.earliestMicros, a.latestMicros, clock.monotonicMicros() - a.monotonicMicros,
                driftMicrosPerSecond);
    }

    /**
     * Starts polling: one poll now and one every poll interval until {@link #close()}.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() {
        if (nextPoll != null || closed) {
            throw new IllegalStateException("time-master source already started or closed");
        }
        nextPoll = scheduler.schedule(this::pollAndReschedule, 0);
    }

    /**
     * Polls every master once, independently of the poll loop. The future completes (on a reply
     * or scheduler thread) when every master has answered or the poll timeout has passed; by
     * then {@link #now()} and {@link #lastPoll()} reflect this poll unless a later one already
     * completed.
     */
    public CompletableFuture<PollOutcome> pollOnce() {
        Round round = new Round(roundsStarted.incrementAndGet());
        round.setTimeout(scheduler.schedule(round::close, pollTimeoutMicros));
        for (int i = 0; i < masters.size(); i++) {
            int index = i;
            long sendMicros = clock.monotonicMicros();
            CompletableFuture<TTInterval> reply;
            try {
                reply = masters.get(i).now();
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((interval, failure) ->
                    round.answer(index, sendMicros, clock.monotonicMicros(), interval, failure));
        }
        return round.outcome;
    }

    /** The outcome of the most recent poll to complete, if any has. */
    public Optional<PollOutcome> lastPoll() {
        return Optional.ofNullable(lastPoll);
    }

    /** Stops the poll loop. Polls already in flight still complete. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (nextPoll != null) {
            nextPoll.cancel();
        }
    }

    private void pollAndReschedule() {
        synchronized (this) {
            if (closed) {
                return;
            }
            nextPoll = scheduler.schedule(this::pollAndReschedule, pollIntervalMicros);
        }
        pollOnce();
    }

    /**
     * The interval {@code [earliest, latest]} known at one local instant, carried forward by
     * {@code elapsedMicros} of local time: shifted by the elapsed time and widened on each side
     * by the drift bound times the elapsed time, rounded up. Saturates instead of overflowing.
     */
    static TTInterval extrapolate(long earliestMicros, long latestMicros, long elapsedMicros, long driftMicrosPerSecond) {
        long magnitude = Math.abs(elapsedMicros);
        long widen = magnitude > Long.MAX_VALUE / Math.max(1, driftMicrosPerSecond)
                ? Long.MAX_VALUE
                : ceilDiv(magnitude * driftMicrosPerSecond, MICROS_PER_SECOND);
        long earliest = Math.max(0, saturatedAdd(saturatedAdd(earliestMicros, elapsedMicros), -widen));
        long latest = saturatedAdd(saturatedAdd(latestMicros, elapsedMicros), widen);
        return new TTInterval(Math.min(earliest, latest), latest);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    private synchronized void publish(long roundNumber, PollOutcome outcome, Anchor agreed) {
        if (roundNumber <= roundPublished) {
            return; // a later poll already decided
        }
        roundPublished = roundNumber;
        if (agreed != null) {
            anchor = agreed;
        }
        lastPoll = outcome;
    }

    /** One poll: collects replies until all masters answered or the timeout fires. */
    private final class Round {
        final long number;
        final CompletableFuture<PollOutcome> outcome = new CompletableFuture<>();
        private final TTInterval[] atReceive = new TTInterval[masters.size()];
        private final long[] receiveMicros = new long[masters.size()];
        private int answered; // guarded by this, as are the arrays and the fields below
        private boolean closed;
        private Scheduler.Cancellable timeout;

        Round(long number) {
            this.number = number;
        }

        synchronized void setTimeout(Scheduler.Cancellable timeout) {
            if (closed) {
                timeout.cancel();
            } else {
                this.timeout = timeout;
            }
        }

        void answer(int index, long sendMicros, long receivedMicros, TTInterval claim, Throwable failure) {
            boolean allIn;
            synchronized (this) {
                if (closed) {
                    return; // too late: the poll has decided without this master
                }
                if (failure == null) {
                    // The master answered at some instant between send and receive, so at receive
                    // true time is at most latest + (true time elapsed since send), and true time
                    // elapsed is at most rtt * (1 + drift).
                    long rttMicros = Math.max(0, receivedMicros - sendMicros);
                    TTInterval grown = extrapolate(claim.earliestMicros(), claim.latestMicros(), rttMicros,
                            driftMicrosPerSecond);
                    atReceive[index] = new TTInterval(claim.earliestMicros(), grown.latestMicros());
                    receiveMicros[index] = receivedMicros;
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "time master {0} failed: {1}",
                            masters.get(index).masterId(), failure.toString());
                }
                answered++;
                allIn = answered == masters.size();
            }
            if (allIn) {
                close();
            }
        }

        void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (timeout != null) {
                    timeout.cancel();
                }
            }
            decide();
        }

        private void decide() {
            long anchorMicros = Long.MIN_VALUE;
            for (int i = 0; i < atReceive.length; i++) {
                if (atReceive[i] != null) {
                    anchorMicros = Math.max(anchorMicros, receiveMicros[i]);
                }
            }
            List<MasterReading> readings = new ArrayList<>();
            List<String> silent = new ArrayList<>();
            for (int i = 0; i < atReceive.length; i++) {
                String id = masters.get(i).masterId();
                if (atReceive[i] == null) {
                    silent.add(id);
                } else {
                    // Bring every answer to the same local instant, the latest receive time.
                    readings.add(new MasterReading(id, extrapolate(atReceive[i].earliestMicros(),
                            atReceive[i].latestMicros(), anchorMicros - receiveMicros[i], driftMicrosPerSecond)));
                }
            }
            PollOutcome result;
            Anchor agreedAnchor = null;
            switch (Marzullo.agree(readings, masters.size())) {
                case Marzullo.Agreed agreed -> {
                    result = new PollOutcome.Synced(agreed, silent);
                    agreedAnchor = new Anchor(anchorMicros, agreed.interval().earliestMicros(),
                            agreed.interval().latestMicros());
                    if (!agreed.rejected().isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "time masters rejected as liars: {0}", agreed.rejected());
                    }
                }
                case Marzullo.NoMajority none -> {
                    result = new PollOutcome.Unsynced(none, silent);
                    LOG.log(System.Logger.Level.WARNING, "no majority of time masters agree: {0}, silent {1}",
                            none, silent);
                }
            }
            publish(number, result, agreedAnchor);
            outcome.complete(result);
        }
    }
}
