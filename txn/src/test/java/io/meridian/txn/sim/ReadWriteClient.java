package io.meridian.txn.sim;

import io.meridian.groups.ReadSpec;
import io.meridian.storage.Mutation;
import io.meridian.txn.ReadWriteTxn;
import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.History.Write;
import io.meridian.txn.sim.Workloads.Recorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A client running read-write transactions one after another: each reads some keys with locking
 * reads (in one request, or several at once, or several one after another with pauses between
 * them), decides its writes from what it read, and commits.
 * An aborted attempt is retried at a random gateway with the first attempt's priority, up to
 * {@link Workloads#ATTEMPTS_MAX}; any other end is final. Subclasses say what to read and what
 * to write.
 */
abstract class ReadWriteClient implements Workloads.Client {

    /** What an attempt does after its reads: commit these writes (maybe none), or roll back. */
    record Decision(List<Write> writes, String rollbackWhy) {
        static Decision commit(List<Write> writes) {
            return new Decision(writes, null);
        }

        static Decision rollback(String why) {
            return new Decision(List.of(), why);
        }
    }

    final Workloads workloads;
    final SimWorld world;
    final Random random;
    final String name;
    private final int transactionsMax;
    private long stopMicros;
    private boolean idle = true;
    private int sequence;

    /** A client running at most {@code transactionsMax} logical transactions. */
    ReadWriteClient(Workloads workloads, String name, int transactionsMax) {
        this.workloads = workloads;
        this.world = workloads.world;
        this.random = world.random;
        this.name = name;
        this.transactionsMax = transactionsMax;
    }

    /** The keys the next logical transaction reads. */
    abstract List<String> keysToRead();

    /** The writes of an attempt tagged {@code tag}, from what it read of {@code keys} (in that order). */
    abstract Decision decide(List<String> keys, Map<String, KeyRead> read, String tag);

    @Override
    public void start(long stop) {
        stopMicros = stop;
        idle = false;
        scheduleNext();
    }

    @Override
    public boolean idle() {
        return idle;
    }

    private void scheduleNext() {
        world.scheduler.schedule(() -> workloads.guard(name, this::next), random.nextInt(5_000));
    }

    private void next() {
        if (world.nowMicros() >= stopMicros || sequence >= transactionsMax) {
            idle = true;
            return;
        }
        sequence++;
        attempt(name + "." + sequence, keysToRead(), 1, OptionalLong.empty());
    }

    private void attempt(String txn, List<String> keys, int number, OptionalLong priority) {
        SimNode gateway = world.gateway();
        ReadWriteTxn transaction = world.driver(gateway).begin(priority);
        OptionalLong kept = OptionalLong.of(transaction.priorityMicros());
        Recorder recorder = workloads.open(txn + "." + number, txn, transaction.priorityMicros(), gateway.id.value());
        Map<String, KeyRead> read = new LinkedHashMap<>();
        List<List<String>> batches = batches(keys);
        CompletableFuture<Void> reads;
        if (random.nextBoolean()) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (List<String> batch : batches) {
                all.add(readBatch(transaction, recorder, batch, read));
            }
            reads = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        } else {
            // One after another with pauses: a leader may change between two reads at one group.
            reads = CompletableFuture.completedFuture(null);
            for (List<String> batch : batches) {
                long pauseMicros = random.nextInt(30_000);
                reads = reads.thenCompose(ignored -> pause(pauseMicros))
                        .thenCompose(ignored -> readBatch(transaction, recorder, batch, read));
            }
        }
        reads.whenComplete((ignored, failure) ->
                workloads.guard(recorder.tag, () -> {
                    if (failure != null) {
                        transaction.rollback();
                        after(recorder.failed(failure, false), txn, keys, number, kept);
                        return;
                    }
                    commit(transaction, recorder, decide(keys, read, recorder.tag), txn, keys, number, kept);
                }));
    }

    private void commit(ReadWriteTxn transaction, Recorder recorder, Decision decision, String txn, List<String> keys,
            int number, OptionalLong priority) {
        if (decision.rollbackWhy() != null) {
            transaction.rollback();
            recorder.finish(new Outcome.Abandoned(decision.rollbackWhy()));
            scheduleNext();
            return;
        }
        recorder.writes(decision.writes());
        List<Mutation> mutations = decision.writes().stream()
                .map(w -> (Mutation) new Mutation.Put(TaggedValue.bytes(w.key()), TaggedValue.bytes(w.value()))).toList();
        transaction.commit(mutations).whenComplete((ts, failure) -> workloads.guard(recorder.tag, () -> {
            if (failure == null) {
                recorder.finish(new Outcome.Committed(ts.micros()));
                scheduleNext();
            } else {
                after(recorder.failed(failure, true), txn, keys, number, priority);
            }
        }));
    }

    private static CompletableFuture<Void> readBatch(ReadWriteTxn transaction, Recorder recorder, List<String> batch,
            Map<String, KeyRead> read) {
        recorder.asked(batch);
        return transaction.read(new ReadSpec.Keys(Workloads.bytes(batch)))
                .thenAccept(result -> read.putAll(recorder.answered(batch, result)));
    }

    private CompletableFuture<Void> pause(long micros) {
        CompletableFuture<Void> paused = new CompletableFuture<>();
        world.scheduler.schedule(() -> paused.complete(null), micros);
        return paused;
    }

    /** After a failed attempt: retry it if it aborted and attempts remain, else move on. */
    private void after(boolean retry, String txn, List<String> keys, int number, OptionalLong priority) {
        if (!retry || number >= Workloads.ATTEMPTS_MAX) {
            if (retry) {
                workloads.count("gave up after " + number + " attempts");
            }
            scheduleNext();
            return;
        }
        world.scheduler.schedule(() -> workloads.guard(name, () -> attempt(txn, keys, number + 1, priority)),
                1_000 + random.nextInt(10_000));
    }

    /** The keys in one locking read, or one read per key, or two halves: all sent at once. */
    private List<List<String>> batches(List<String> keys) {
        List<List<String>> batches = new ArrayList<>();
        int choice = random.nextInt(3);
        if (choice == 0 || keys.size() == 1) {
            batches.add(keys);
        } else if (choice == 1) {
            keys.forEach(key -> batches.add(List.of(key)));
        } else {
            int half = keys.size() / 2;
            batches.add(keys.subList(0, half));
            batches.add(keys.subList(half, keys.size()));
        }
        return batches;
    }
}
