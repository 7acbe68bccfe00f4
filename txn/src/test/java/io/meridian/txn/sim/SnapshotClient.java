package io.meridian.txn.sim;

import io.meridian.groups.ReadSpec;
import io.meridian.truetime.Timestamp;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.sim.History.SnapshotRead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A client of strong read-only transactions over a fixed set of keys (every account, or every
 * list): it asks a gateway for {@code s_read} and reads every key at it, lock-free. A quarter of
 * the time it instead repeats an earlier snapshot of its own, at the same timestamp through
 * another random gateway, which must answer the same (invariant 4). Failed reads are counted,
 * not retried.
 */
final class SnapshotClient implements Workloads.Client {

    private final Workloads workloads;
    private final SimWorld world;
    private final Random random;
    private final String name;
    private final List<String> keys;
    private final int readsMax;
    private final List<SnapshotRead> done = new ArrayList<>();
    private long stopMicros;
    private boolean idle = true;
    private int sequence;

    /** A client reading {@code keys} at most {@code readsMax} times. */
    SnapshotClient(Workloads workloads, String name, List<String> keys, int readsMax) {
        this.workloads = workloads;
        this.world = workloads.world;
        this.random = world.random;
        this.name = name;
        this.keys = List.copyOf(keys);
        this.readsMax = readsMax;
    }

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
        world.scheduler.schedule(() -> workloads.guard(name, this::next), 2_000 + random.nextInt(20_000));
    }

    private void next() {
        if (world.nowMicros() >= stopMicros || sequence >= readsMax) {
            idle = true;
            return;
        }
        sequence++;
        String id = name + "." + sequence;
        SimNode gateway = world.gateway();
        TxnDriver driver = world.driver(gateway);
        long startMicros = world.nowMicros();
        ReadSpec spec = new ReadSpec.Keys(Workloads.bytes(keys));
        if (!done.isEmpty() && random.nextInt(4) == 0) {
            SnapshotRead original = done.get(random.nextInt(done.size()));
            read(driver, id, gateway, startMicros, spec, new Timestamp(original.readTsMicros()), Optional.of(original.id()));
            return;
        }
        driver.strongReadTimestamp(List.of(spec)).whenComplete((readTs, failure) -> workloads.guard(id, () -> {
            if (failure != null) {
                workloads.count("snapshot failed: " + Workloads.unwrap(failure).getClass().getSimpleName());
                scheduleNext();
                return;
            }
            read(driver, id, gateway, startMicros, spec, readTs, Optional.empty());
        }));
    }

    private void read(TxnDriver driver, String id, SimNode gateway, long startMicros, ReadSpec spec, Timestamp readTs,
            Optional<String> repeatOf) {
        driver.snapshotRead(spec, readTs).whenComplete((result, failure) -> workloads.guard(id, () -> {
            if (failure != null) {
                workloads.count("snapshot failed: " + Workloads.unwrap(failure).getClass().getSimpleName());
            } else {
                if (!result.readTs().equals(readTs)) {
                    world.violations.add(new Violation(HistoryChecks.WORLD, id + " asked to read at " + readTs
                            + " and was answered at " + result.readTs()));
                }
                SnapshotRead snapshot = new SnapshotRead(id, gateway.id.value(), startMicros, world.nowMicros(),
                        readTs.micros(), List.copyOf(Workloads.readsOf(keys, result).values()), repeatOf);
                workloads.history.add(snapshot);
                workloads.count(repeatOf.isPresent() ? "snapshot repeated" : "snapshot");
                if (repeatOf.isEmpty()) {
                    done.add(snapshot);
                }
            }
            scheduleNext();
        }));
    }
}
