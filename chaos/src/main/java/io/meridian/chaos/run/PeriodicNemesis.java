package io.meridian.chaos.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A nemesis that injects one fault at a time on its own thread: it waits {@code interval} minus
 * {@code duration}, injects a fault, keeps it for {@code duration}, heals it, and so on until
 * stopped. {@link #stop} heals whatever is still broken. Subclasses say what a fault is.
 */
public abstract class PeriodicNemesis implements Nemesis {

    /** Chooses the faults; used only on the nemesis thread. */
    protected final Random random;
    private final String name;
    private final Duration interval;
    private final Duration duration;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String current = "no fault yet";
    private final List<String> made = new ArrayList<>();
    private final List<String> notMade = new ArrayList<>();
    private volatile Exception failure;
    private Thread thread;

    /**
     * What one {@link #inject} did.
     *
     * @param what a description, e.g. {@code n2 killed}
     * @param made false when the cluster refused the fault or there was nothing to break
     */
    protected record Fault(String what, boolean made) {
        /** A fault in effect. */
        public static Fault made(String what) {
            return new Fault(what, true);
        }

        /** Nothing broken this time, and why. */
        public static Fault notMade(String why) {
            return new Fault(why, false);
        }
    }

    /**
     * @param name     names the thread, e.g. {@code kill}
     * @param random   chooses the faults
     * @param interval time from one fault to the next (healthy time plus {@code duration})
     * @param duration how long each fault lasts
     * @throws IllegalArgumentException unless {@code duration} is shorter than {@code interval}
     */
    protected PeriodicNemesis(String name, Random random, Duration interval, Duration duration) {
        this.name = Objects.requireNonNull(name, "name");
        this.random = Objects.requireNonNull(random, "random");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("a fault must last more than 0 and less than the interval ("
                    + interval + "): " + duration);
        }
        this.interval = interval;
        this.duration = duration;
    }

    /** Injects one fault and says what it did. */
    protected abstract Fault inject() throws Exception;

    /** Heals every fault this nemesis injected that is still in effect; idempotent. */
    protected abstract void heal() throws Exception;

    @Override
    public final synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("a nemesis starts once");
        }
        thread = Thread.ofPlatform().name("nemesis-" + name).start(this::loop);
    }

    private void loop() {
        try {
            while (!stopped.await(interval.minus(duration).toMillis(), TimeUnit.MILLISECONDS)) {
                Fault fault = inject();
                current = fault.what();
                synchronized (made) {
                    (fault.made() ? made : notMade).add(fault.what());
                }
                stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                heal();
                current = "healed";
            }
        } catch (Exception e) {
            failure = e;
            current = "failed: " + e;
        }
    }

    /** The faults made so far, oldest first. */
    public List<String> faultsMade() {
        synchronized (made) {
            return List.copyOf(made);
        }
    }

    /** The faults tried but not made so far (refused by the cluster, nothing to break), and why. */
    public List<String> faultsNotMade() {
        synchronized (made) {
            return List.copyOf(notMade);
        }
    }

    @Override
    public final String current() {
        return current;
    }

    /**
     * Stops injecting, waits for the nemesis thread, then heals.
     *
     * @throws Exception what injecting or healing failed with, if it did
     */
    @Override
    public final void stop() throws Exception {
        stopped.countDown();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.join();
        }
        heal();
        if (failure != null) {
            throw new IllegalStateException("the " + name + " nemesis failed: " + failure, failure);
        }
    }
}
