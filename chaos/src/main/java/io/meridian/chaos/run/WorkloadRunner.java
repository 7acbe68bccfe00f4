package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.CheckResult;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Outcome;
import io.meridian.client.MeridianClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a {@link Workload} with many concurrent clients through one SDK client, for a bounded
 * time and number of operations, records the history and checks it.
 */
public final class WorkloadRunner {

    /** How long a client may still be busy with its last operation after the run's time is up. */
    private static final Duration STRAGGLER_PATIENCE = Duration.ofMinutes(2);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param clients       concurrent clients (processes), at least 1
     * @param duration      how long clients start new operations
     * @param operationsMax at most this many operations in all
     * @param seed          seeds each client's choices ({@code seed + process})
     */
    public record Settings(int clients, Duration duration, long operationsMax, long seed) {
        public Settings {
            if (clients < 1 || operationsMax < 1 || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a run needs clients, operations and time: " + clients + ", "
                        + operationsMax + ", " + duration);
            }
        }
    }

    /** Operations by outcome. */
    public record Counts(long ok, long fail, long info) {
    }

    /**
     * What a run found.
     *
     * @param history    every operation
     * @param verdicts   each checker's verdict
     * @param unexpected failures the SDK does not promise, and clients that never finished
     */
    public record Result(History history, List<CheckResult> verdicts, List<String> unexpected) {

        /** True when every checker passed and nothing unexpected happened. */
        public boolean valid() {
            return unexpected.isEmpty() && verdicts.stream().allMatch(CheckResult::valid);
        }

        /** Operations by outcome. */
        public Counts counts() {
            return new Counts(history.withOutcome(Outcome.OK).size(), history.withOutcome(Outcome.FAIL).size(),
                    history.withOutcome(Outcome.INFO).size());
        }
    }

    private WorkloadRunner() {
    }

    /**
     * Runs {@code workload} (its {@link Workload#setUp} first) and checks the history.
     *
     * @param progress told a one-line summary about every second, e.g. {@code 1523 ops: 1400 ok, 120 fail, 3 info}
     */
    public static Result run(MeridianClient client, Workload workload, Settings settings, Consumer<String> progress)
            throws InterruptedException {
        workload.setUp(client);
        Recorder recorder = new Recorder(System::nanoTime);
        AtomicLong started = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong fail = new AtomicLong();
        AtomicLong info = new AtomicLong();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + settings.duration().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int p = 0; p < settings.clients(); p++) {
            int process = p;
            clients.add(Thread.ofPlatform().name("chaos-client-" + p).start(() -> {
                Random random = new Random(settings.seed() + process);
                while (System.nanoTime() - deadline < 0 && started.incrementAndGet() <= settings.operationsMax()) {
                    Action planned = workload.next(process, random);
                    Recorder.Invocation invocation = recorder.invoke(process);
                    Workload.Done done;
                    try {
                        done = workload.run(client, planned);
                    } catch (UnexpectedFailure e) {
                        unexpected.add("client " + process + ": " + e.getMessage());
                        done = new Workload.Done(e.outcome(), e.action());
                    }
                    recorder.complete(invocation, done.outcome(), done.action());
                    (switch (done.outcome()) {
                        case OK -> ok;
                        case FAIL -> fail;
                        case INFO -> info;
                    }).incrementAndGet();
                }
            }));
        }
        awaitClients(clients, deadline, unexpected,
                () -> progress.accept((ok.get() + fail.get() + info.get()) + " ops: " + ok.get() + " ok, " + fail.get()
                        + " fail, " + info.get() + " info"));
        History history = recorder.history();
        List<CheckResult> verdicts = new ArrayList<>();
        for (Checker checker : workload.checkers()) {
            verdicts.add(checker.check(history));
        }
        return new Result(history, verdicts, List.copyOf(unexpected));
    }

    private static void awaitClients(List<Thread> clients, long deadline, ConcurrentLinkedQueue<String> unexpected,
            Runnable progress) throws InterruptedException {
        long giveUp = deadline + STRAGGLER_PATIENCE.toNanos();
        for (Thread client : clients) {
            while (client.isAlive() && System.nanoTime() - giveUp < 0) {
                client.join(PROGRESS_INTERVAL.toMillis());
                progress.run();
            }
            if (client.isAlive()) {
                unexpected.add(client.getName() + " was still busy " + STRAGGLER_PATIENCE + " after the run ended");
                client.interrupt();
            }
        }
        progress.run();
    }
}
