package io.meridian.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.TxnId;
import io.meridian.txn.LockTable.Mode;
import io.meridian.truetime.sim.SimScheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Shows the wound-wait lock table as a participant sees it: shared locks share, exclusive ones
 * exclude, keys and spans (open-ended ones included) conflict when they overlap in unsigned byte
 * order, a transaction's own locks never block it (upgrades), an older requester wounds a younger
 * woundable holder and a younger one waits, committing holders are never wounded, waits time out,
 * abort records last until forgotten, and waiters are granted oldest first without younger
 * requests overtaking an older conflicting one. A seeded randomized workload shows invariant 8:
 * every transaction ends (no deadlock), locks exclude each other, and nobody ever waits for a
 * younger woundable holder (replay one seed with {@code -Dlocktable.seed=N}). The span index
 * behind the table is checked against brute force. Time is driven by a {@link SimScheduler};
 * nothing sleeps.
 */
class LockTableTest {

    private static final long WAIT_MICROS = 1_000_000;

    /** Transactions by age: priority is 100 × the id's low part, so a lower id is older. */
    private static final TxnId OLDEST = txn(1);
    private static final TxnId OLDER = txn(2);
    private static final TxnId YOUNGER = txn(3);
    private static final TxnId YOUNGEST = txn(4);

    private final SimScheduler sim = new SimScheduler(0);
    private final List<TxnId> wounded = new ArrayList<>();
    private final LockTable table = new LockTable(sim, wounded::add);

    private static TxnId txn(long n) {
        return new TxnId(0, n);
    }

    private static ByteString key(String text) {
        return ByteString.copyFrom(text, StandardCharsets.ISO_8859_1);
    }

    private static KeySpan point(String text) {
        return KeySpan.ofKey(key(text));
    }

    private static KeySpan span(String start, String end) {
        return new KeySpan(key(start), key(end));
    }

    private CompletableFuture<Void> acquire(TxnId txn, KeySpan span, Mode mode) {
        return table.acquire(txn, txn.low() * 100, span, mode, WAIT_MICROS);
    }

    private static void assertGranted(CompletableFuture<Void> future) {
        assertTrue(future.isDone() && !future.isCompletedExceptionally(), "expected a grant, got " + future);
    }

    private static void assertWaiting(CompletableFuture<Void> future) {
        assertFalse(future.isDone(), "expected a wait, got " + future);
    }

    private static void assertAborted(AbortReason reason, CompletableFuture<Void> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        TxnAbortedException aborted = assertInstanceOf(TxnAbortedException.class, thrown.getCause());
        assertEquals(reason, aborted.reason(), aborted.getMessage());
    }

    @Test
    void abortingEverythingGrantsNothingOnTheWayAndRefusesLaterRequests() {
        // A validated reader (committing, so unwoundable) and a writer waiting behind it: when
        // the leader's lease ends, the reader's lock must not pass to the writer.
        assertGranted(acquire(YOUNGER, point("k"), Mode.SHARED));
        assertTrue(table.markCommitting(YOUNGER));
        CompletableFuture<Void> writer = acquire(YOUNGEST, point("k"), Mode.EXCLUSIVE);
        assertWaiting(writer);

        List<TxnId> aborted = table.abortAll(AbortReason.LOCKS_LOST);

        assertEquals(Set.of(YOUNGER, YOUNGEST), Set.copyOf(aborted));
        assertAborted(AbortReason.LOCKS_LOST, writer);
        assertFalse(table.markCommitting(YOUNGEST));
        assertEquals(Optional.of(AbortReason.LOCKS_LOST), table.abortedReason(OLDEST));
        assertAborted(AbortReason.LOCKS_LOST, acquire(OLDEST, point("other"), Mode.SHARED));
        assertEquals(0, table.size());
    }

    @Test
    void sharedLocksAreCompatible() {
        assertGranted(acquire(OLDER, point("k"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("k"), Mode.SHARED));
        assertGranted(acquire(OLDEST, point("k"), Mode.SHARED));

        assertEquals(List.of(), wounded);
        assertEquals(3, table.size());
    }

    @Test
    void exclusiveConflictsWithEveryLockOfAnotherTxn() {
        assertGranted(acquire(OLDEST, point("x"), Mode.EXCLUSIVE));
        assertGranted(acquire(OLDEST, point("s"), Mode.SHARED));

        assertWaiting(acquire(OLDER, point("x"), Mode.SHARED));
        assertWaiting(acquire(YOUNGER, point("x"), Mode.EXCLUSIVE));
        assertWaiting(acquire(YOUNGEST, point("s"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGEST, point("y"), Mode.EXCLUSIVE));
        assertEquals(List.of(), wounded);
    }

    @Test
    void aKeyAndASpanConflictWhenTheSpanHoldsTheKey() {
        assertGranted(acquire(OLDEST, span("b", "d"), Mode.EXCLUSIVE));
        assertWaiting(acquire(YOUNGER, point("b"), Mode.SHARED));
        assertWaiting(acquire(YOUNGER, point("c\u00ff"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("d"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("a\u00ff"), Mode.SHARED));

        assertGranted(acquire(OLDER, point("m"), Mode.EXCLUSIVE));
        assertWaiting(acquire(YOUNGEST, span("l", "n"), Mode.SHARED));
        assertWaiting(acquire(YOUNGEST, span("m", "m\0"), Mode.SHARED));
        assertGranted(acquire(YOUNGEST, span("m\0", "z"), Mode.SHARED));
        assertGranted(acquire(YOUNGEST, span("e", "m"), Mode.SHARED));
    }

    @Test
    void anOpenEndedSpanCoversEveryKeyFromItsStartInUnsignedOrder() {
        assertGranted(acquire(OLDEST, KeySpan.from(key("\u0080")), Mode.EXCLUSIVE));

        assertWaiting(acquire(YOUNGER, point("\u00ff\u00ff"), Mode.SHARED));
        assertWaiting(acquire(YOUNGER, span("\u0001", "\u0081"), Mode.SHARED));
        assertWaiting(acquire(YOUNGEST, KeySpan.ALL, Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("\u007f"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGER, span("\u0001", "\u0080"), Mode.SHARED));
    }

    @Test
    void aTxnsOwnLocksNeverConflictWithItsRequests() {
        assertGranted(acquire(YOUNGER, point("k"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("k"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGER, point("k"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, span("a", "z"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGER, point("q"), Mode.SHARED));

        // The upgrade stuck: another transaction's shared request waits.
        assertWaiting(acquire(YOUNGEST, point("k"), Mode.SHARED));
        assertEquals(List.of(), wounded);
    }

    @Test
    void anUpgradeWaitsForAnOlderSharedHolderAndWoundsAYoungerOne() {
        assertGranted(acquire(OLDER, point("k"), Mode.SHARED));
        assertGranted(acquire(YOUNGER, point("k"), Mode.SHARED));

        CompletableFuture<Void> youngerUpgrade = acquire(YOUNGER, point("k"), Mode.EXCLUSIVE);
        assertWaiting(youngerUpgrade);
        CompletableFuture<Void> olderUpgrade = acquire(OLDER, point("k"), Mode.EXCLUSIVE);

        assertGranted(olderUpgrade);
        assertAborted(AbortReason.WOUNDED, youngerUpgrade);
        assertEquals(List.of(YOUNGER), wounded);
    }

    @Test
    void anOlderRequesterWoundsAYoungerHolder() {
        assertGranted(acquire(YOUNGER, point("k"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGER, point("other"), Mode.EXCLUSIVE));

        assertGranted(acquire(OLDER, point("k"), Mode.SHARED));

        assertEquals(List.of(YOUNGER), wounded);
        assertEquals(Optional.of(AbortReason.WOUNDED), table.abortedReason(YOUNGER));
        assertFalse(table.holdsOrWaits(YOUNGER));
        assertAborted(AbortReason.WOUNDED, acquire(YOUNGER, point("elsewhere"), Mode.SHARED));
        // Its other lock went too.
        assertGranted(acquire(YOUNGEST, point("other"), Mode.EXCLUSIVE));
    }

    @Test
    void theWoundListenerIsToldAfterTheVictimsLocksAreGone() {
        List<Boolean> victimStillHoldsOrWaits = new ArrayList<>();
        LockTable[] observed = new LockTable[1];
        observed[0] = new LockTable(sim, victim -> victimStillHoldsOrWaits.add(observed[0].holdsOrWaits(victim)));
        assertGranted(observed[0].acquire(YOUNGER, 300, point("k"), Mode.EXCLUSIVE, WAIT_MICROS));

        assertGranted(observed[0].acquire(OLDER, 200, point("k"), Mode.EXCLUSIVE, WAIT_MICROS));

        assertEquals(List.of(false), victimStillHoldsOrWaits);
    }

    @Test
    void woundingFailsTheVictimsWaitingRequests() {
        assertGranted(acquire(OLDEST, point("a"), Mode.EXCLUSIVE));
        assertGranted(acquire(YOUNGER, point("b"), Mode.EXCLUSIVE));
        CompletableFuture<Void> youngerWait = acquire(YOUNGER, point("a"), Mode.EXCLUSIVE);
        assertWaiting(youngerWait);

        assertGranted(acquire(OLDER, point("b"), Mode.EXCLUSIVE));

        assertAborted(AbortReason.WOUNDED, youngerWait);
        assertEquals(List.of(YOUNGER), wounded);
        assertEquals(2, table.size());
    }

    @Test
    void equalPrioritiesAreOrderedByTxnIdLowerIsOlder() {
        TxnId low = new TxnId(0, 7);
        TxnId high = new TxnId(1, 0);
        assertGranted(table.acquire(low, 500, point("a"), Mode.EXCLUSIVE, WAIT_MICROS));
        assertGranted(table.acquire(high, 500, point("b"), Mode.EXCLUSIVE, WAIT_MICROS));

        assertWaiting(table.acquire(high, 500, point("a"), Mode.EXCLUSIVE, WAIT_MICROS));
        assertEquals(List.of(), wounded);
        assertGranted(table.acquire(low, 500, point("b"), Mode.EXCLUSIVE, WAIT_MICROS));
        assertEquals(List.of(high), wounded);
    }

    @Test
    void aYoungerRequesterWaitsForAnOlderHolderAndIsGrantedOnRelease() {
        assertGranted(acquire(OLDER, point("k"), Mode.EXCLUSIVE));
        CompletableFuture<Void> younger = acquire(YOUNGER, point("k"), Mode.EXCLUSIVE);
        assertWaiting(younger);
        assertTrue(table.holdsOrWaits(YOUNGER));

        table.release(OLDER);

        assertGranted(younger);
        assertEquals(List.of(), wounded);
        assertFalse(table.holdsOrWaits(OLDER));
        assertEquals(0, sim.pendingTasks(), "the grant cancels the wait's timeout");
    }

    @Test
    void aCommittingYoungerHolderIsNotWoundedAndTheOlderWaitsForIt() {
        assertGranted(acquire(YOUNGER, point("k"), Mode.EXCLUSIVE));
        assertTrue(table.markCommitting(YOUNGER));

        CompletableFuture<Void> older = acquire(OLDER, point("k"), Mode.EXCLUSIVE);
        assertWaiting(older);
        assertEquals(List.of(), wounded);
        assertEquals(Optional.empty(), table.abortedReason(YOUNGER));

        table.release(YOUNGER);
        assertGranted(older);
    }

    @Test
    void anOlderTxnWaitsForAYoungerCommittingOneOnlyBrieflyAndForAnOlderOneFully() {
        // Across groups the younger committing holder may be waiting for the older one elsewhere.
        LockTable bounded = new LockTable(sim, wounded::add, 100);
        assertGranted(bounded.acquire(YOUNGER, 300, point("k"), Mode.EXCLUSIVE, WAIT_MICROS));
        assertTrue(bounded.markCommitting(YOUNGER));
        assertGranted(bounded.acquire(OLDEST, 100, point("old"), Mode.EXCLUSIVE, WAIT_MICROS));

        CompletableFuture<Void> behindYounger = bounded.acquire(OLDER, 200, point("k"), Mode.SHARED, WAIT_MICROS);
        CompletableFuture<Void> behindOlder = bounded.acquire(YOUNGEST, 400, point("old"), Mode.SHARED, WAIT_MICROS);
        sim.runUntil(99);
        assertWaiting(behindYounger);
        sim.runUntil(100);

        assertAborted(AbortReason.LOCK_TIMEOUT, behindYounger);
        assertEquals(List.of(), wounded);
        sim.runUntil(WAIT_MICROS - 1);
        assertWaiting(behindOlder);
        sim.runUntil(WAIT_MICROS);
        assertAborted(AbortReason.LOCK_TIMEOUT, behindOlder);
    }

    @Test
    void aTxnMarkedCommittingBeforeItsLocksCannotBeWoundedEither() {
        assertTrue(table.markCommitting(YOUNGER));
        assertFalse(table.holdsOrWaits(YOUNGER));
        assertEquals(0, table.size());
        assertGranted(acquire(YOUNGER, point("k"), Mode.EXCLUSIVE));

        assertWaiting(acquire(OLDER, point("k"), Mode.SHARED));
        assertEquals(List.of(), wounded);
    }

    @Test
    void markCommittingRefusesAnAbortedOrWoundedTxn() {
        assertGranted(acquire(YOUNGER, point("k"), Mode.EXCLUSIVE));
        assertGranted(acquire(OLDER, point("k"), Mode.EXCLUSIVE));
        table.abort(YOUNGEST, AbortReason.IDLE);

        assertFalse(table.markCommitting(YOUNGER));
        assertFalse(table.markCommitting(YOUNGEST));
        assertEquals(Optional.of(AbortReason.WOUNDED), table.abortedReason(YOUNGER));
    }

    @Test
    void aWaitTimesOutAndTheTxnKeepsItsOtherLocks() {
        assertGranted(acquire(OLDER, point("k"), Mode.EXCLUSIVE));
        assertGranted(table.acquire(YOUNGER, 300, point("mine"), Mode.EXCLUSIVE, 1_000));
        CompletableFuture<Void> wait = table.acquire(YOUNGER, 300, point("k"), Mode.SHARED, 1_000);

        sim.runUntil(999);
        assertWaiting(wait);
        sim.runUntil(1_000);

        assertAborted(AbortReason.LOCK_TIMEOUT, wait);
        assertTrue(table.holdsOrWaits(YOUNGER));
        assertEquals(Optional.empty(), table.abortedReason(YOUNGER), "a timeout withdraws the request only");
        assertWaiting(acquire(YOUNGEST, point("mine"), Mode.SHARED));
    }

    @Test
    void aWaitWithoutABoundSetsNoTimer() {
        assertGranted(acquire(OLDER, point("k"), Mode.EXCLUSIVE));
        CompletableFuture<Void> wait = table.acquire(YOUNGER, 300, point("k"), Mode.SHARED, LockTable.WAIT_FOREVER);

        assertWaiting(wait);
        assertEquals(0, sim.pendingTasks());
        assertThrows(IllegalArgumentException.class,
                () -> table.acquire(YOUNGER, 300, point("j"), Mode.SHARED, -1));
    }

    @Test
    void abortReleasesFailsWaitsAndIsRememberedUntilForget() {
        assertGranted(acquire(OLDEST, point("busy"), Mode.EXCLUSIVE));
        assertGranted(acquire(OLDER, point("a"), Mode.EXCLUSIVE));
        CompletableFuture<Void> wait = acquire(OLDER, point("busy"), Mode.SHARED);
        CompletableFuture<Void> behind = acquire(YOUNGER, point("a"), Mode.SHARED);
        assertWaiting(behind);

        table.abort(OLDER, AbortReason.IDLE);

        assertAborted(AbortReason.IDLE, wait);
        assertGranted(behind);
        assertFalse(table.holdsOrWaits(OLDER));
        assertEquals(Optional.of(AbortReason.IDLE), table.abortedReason(OLDER));
        assertAborted(AbortReason.IDLE, acquire(OLDER, point("z"), Mode.SHARED));
        table.abort(OLDER, AbortReason.DECIDED);
        assertEquals(Optional.of(AbortReason.IDLE), table.abortedReason(OLDER), "the first reason stays");
        assertEquals(List.of(), wounded);

        table.forget(OLDER);

        assertEquals(Optional.empty(), table.abortedReason(OLDER));
        assertGranted(acquire(OLDER, point("z"), Mode.SHARED));
    }

    @Test
    void releaseFailsWaitsWithRolledBackAndForgetsTheTxn() {
        assertGranted(acquire(OLDEST, point("busy"), Mode.EXCLUSIVE));
        assertGranted(acquire(OLDER, point("a"), Mode.EXCLUSIVE));
        CompletableFuture<Void> wait = acquire(OLDER, point("busy"), Mode.SHARED);

        table.release(OLDER);
        table.release(OLDER);

        assertAborted(AbortReason.ROLLED_BACK, wait);
        assertEquals(Optional.empty(), table.abortedReason(OLDER));
        assertFalse(table.holdsOrWaits(OLDER));
        assertGranted(acquire(YOUNGER, point("a"), Mode.EXCLUSIVE));
        assertEquals(0, sim.pendingTasks());
    }

    @Test
    void waitersAreGrantedOldestFirst() {
        assertGranted(acquire(OLDEST, point("k"), Mode.EXCLUSIVE));
        CompletableFuture<Void> youngest = acquire(YOUNGEST, point("k"), Mode.EXCLUSIVE);
        CompletableFuture<Void> younger = acquire(YOUNGER, point("k"), Mode.EXCLUSIVE);
        CompletableFuture<Void> older = acquire(OLDER, point("k"), Mode.EXCLUSIVE);

        table.release(OLDEST);
        assertGranted(older);
        assertWaiting(younger);
        assertWaiting(youngest);

        table.release(OLDER);
        assertGranted(younger);
        assertWaiting(youngest);

        table.release(YOUNGER);
        assertGranted(youngest);
        assertEquals(List.of(), wounded);
    }

    @Test
    void aYoungerRequestDoesNotOvertakeAnOlderConflictingWaiter() {
        assertGranted(acquire(OLDEST, point("k"), Mode.SHARED));
        CompletableFuture<Void> writer = table.acquire(OLDER, 200, point("k"), Mode.EXCLUSIVE, 5_000);
        assertWaiting(writer);

        // Compatible with the holder, but would starve the older writer: it waits behind it.
        CompletableFuture<Void> reader = acquire(YOUNGER, span("a", "z"), Mode.SHARED);
        assertWaiting(reader);
        // A transaction older than the waiting writer goes ahead of it.
        TxnId eldest = txn(0);
        assertGranted(acquire(eldest, point("k"), Mode.SHARED));

        table.release(OLDEST);
        assertWaiting(writer);
        table.release(eldest);
        assertGranted(writer);
        assertWaiting(reader);
        table.release(OLDER);
        assertGranted(reader);
    }

    @Test
    void aWithdrawnOlderWaiterLetsTheYoungerRequestsBehindItThrough() {
        assertGranted(acquire(OLDEST, point("k"), Mode.SHARED));
        CompletableFuture<Void> writer = table.acquire(OLDER, 200, point("k"), Mode.EXCLUSIVE, 5_000);
        CompletableFuture<Void> reader = acquire(YOUNGER, point("k"), Mode.SHARED);
        assertWaiting(reader);

        sim.runUntil(5_000);

        assertAborted(AbortReason.LOCK_TIMEOUT, writer);
        assertGranted(reader);
        assertFalse(table.holdsOrWaits(OLDER));
    }

    @Test
    void sizeCountsTxnsHoldingOrWaiting() {
        assertEquals(0, table.size());
        acquire(OLDER, point("a"), Mode.EXCLUSIVE);
        acquire(OLDER, point("b"), Mode.EXCLUSIVE);
        acquire(YOUNGER, point("a"), Mode.SHARED);
        assertEquals(2, table.size());
        assertTrue(table.holdsOrWaits(YOUNGER));
        assertFalse(table.holdsOrWaits(YOUNGEST));

        table.release(OLDER);
        table.release(YOUNGER);
        assertEquals(0, table.size());
    }

    @Test
    void callbacksMayCallBackIntoTheTable() {
        assertGranted(acquire(OLDER, point("a"), Mode.EXCLUSIVE));
        CompletableFuture<Void> wait = acquire(YOUNGER, point("a"), Mode.EXCLUSIVE);
        List<CompletableFuture<Void>> next = new ArrayList<>();
        wait.thenRun(() -> next.add(acquire(YOUNGER, point("b"), Mode.EXCLUSIVE)));

        table.release(OLDER);

        assertGranted(next.get(0));
        assertEquals(1, table.size());
    }

    /** The span index behind the table, against brute force: it finds exactly the overlapping entries and empties. */
    @Test
    void theSpanIndexFindsExactlyTheOverlappingEntriesAndEmpties() {
        for (long seed = 0; seed < 10; seed++) {
            Random random = new Random(seed);
            LockIndex<KeySpan[]> index = new LockIndex<>(entry -> entry[0]);
            List<KeySpan[]> present = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                if (!present.isEmpty() && random.nextInt(3) == 0) {
                    index.remove(present.remove(random.nextInt(present.size())));
                } else {
                    KeySpan[] entry = {randomSpan(random, 12)};
                    index.add(entry);
                    present.add(entry);
                }
                KeySpan probe = randomSpan(random, 12);
                Set<KeySpan[]> expected = identitySet(present.stream().filter(e -> overlaps(e[0], probe)).toList());
                List<KeySpan[]> found = index.overlapping(probe);
                String where = "seed " + seed + " step " + step;
                assertEquals(expected.size(), found.size(), () -> where + ": wrong count, probe " + probe);
                assertEquals(expected, identitySet(found), () -> where + ": probe " + probe);
            }
            for (KeySpan[] entry : present) {
                index.remove(entry);
            }
            assertEquals(0, index.size());
            assertEquals(0, index.fragmentBounds(), "seed " + seed + ": no fragment outlives its spans");
        }
    }

    private static <E> Set<E> identitySet(List<E> entries) {
        Set<E> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(entries);
        return set;
    }

    /** A point (most often), a bounded span, an open-ended one or, rarely, the whole keyspace. */
    private static KeySpan randomSpan(Random random, int keys) {
        int shape = random.nextInt(10);
        int first = random.nextInt(keys);
        if (shape < 6) {
            return point("k" + (char) ('a' + first));
        }
        if (shape < 8) {
            int last = first + 1 + random.nextInt(keys - first);
            return span("k" + (char) ('a' + first), "k" + (char) ('a' + last));
        }
        if (shape < 9) {
            return KeySpan.from(key("k" + (char) ('a' + first)));
        }
        return random.nextBoolean() ? KeySpan.ALL : new KeySpan(ByteString.EMPTY, key("k" + (char) ('a' + first)));
    }

    /** Overlap computed from the definition, independently of the table's code. */
    private static boolean overlaps(KeySpan a, KeySpan b) {
        boolean bStartsBeforeAEnds = !a.hasEnd() || Keys.compare(b.start(), a.end()) < 0;
        boolean aStartsBeforeBEnds = !b.hasEnd() || Keys.compare(a.start(), b.end()) < 0;
        return bStartsBeforeAEnds && aStartsBeforeBEnds;
    }

    @Test
    void randomWorkloadsNeverDeadlockAndNobodyWaitsForAYoungerWoundableHolder() {
        Long replay = Long.getLong("locktable.seed");
        List<Long> seeds = new ArrayList<>();
        if (replay != null) {
            seeds.add(replay);
        } else {
            for (long seed = 0; seed < 50; seed++) {
                seeds.add(seed);
            }
        }
        Map<String, Integer> totals = new HashMap<>();
        for (long seed : seeds) {
            Workload workload = new Workload(seed);
            workload.run();
            workload.outcomes().forEach((outcome, count) -> totals.merge(outcome, count, Integer::sum));
        }
        System.out.println("lock table workloads " + seeds + ": " + totals);
        if (replay == null) {
            // The workload exercises every path; a run where nothing conflicts would show nothing.
            for (String outcome : List.of("committed", "wounded", "timed out", "committing")) {
                assertTrue(totals.getOrDefault(outcome, 0) > 0, outcome + " never happened: " + totals);
            }
        }
    }

    /**
     * One seeded run: transactions start at random times and take 1 to 5 random locks one after
     * another, some with short timeouts, then (some marked committing) hold them a while and
     * release them; a wounded or timed-out transaction aborts. After every event the locks held
     * (as the futures told) are checked against each other and against every waiting request.
     */
    private static final class Workload {
        private static final int TXNS = 200;
        private static final int KEYS = 10;
        private static final int START_SPREAD_MICROS = 10_000;

        private final long seed;
        private final Random random;
        private final SimScheduler sim = new SimScheduler(0);
        private final Map<TxnId, Driver> drivers = new HashMap<>();
        private final List<Driver> ordered = new ArrayList<>();
        private final LockTable table = new LockTable(sim, this::wounded);
        private final Map<String, Integer> outcomes = new HashMap<>();
        /** Transactions whose locks, wait or committing mark changed since the last check. */
        private final Set<Driver> changed = new LinkedHashSet<>();

        Workload(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        Map<String, Integer> outcomes() {
            return outcomes;
        }

        private record Step(KeySpan span, Mode mode, long maxWaitMicros) {
        }

        private record Held(KeySpan span, Mode mode) {
        }

        private final class Driver {
            final TxnId id;
            final long priority;
            final List<Step> plan = new ArrayList<>();
            final List<Held> held = new ArrayList<>();
            Step waitingFor;
            int next;
            boolean committing;
            boolean woundedFlag;
            boolean ended;

            Driver(TxnId id, long priority) {
                this.id = id;
                this.priority = priority;
            }

            boolean isActive() {
                return !ended && (!held.isEmpty() || waitingFor != null);
            }

            boolean isOlderThan(Driver other) {
                return priority != other.priority ? priority < other.priority : id.compareTo(other.id) < 0;
            }

            void step() {
                changed.add(this);
                if (ended) {
                    return;
                }
                if (woundedFlag) {
                    end("wounded");
                    return;
                }
                if (next == plan.size()) {
                    if (random.nextBoolean()) {
                        committing = true;
                        assertTrue(table.markCommitting(id), () -> "seed " + seed + ": " + id + " could not commit");
                        count("committing");
                    }
                    sim.schedule(this::finish, 1 + random.nextInt(300));
                    return;
                }
                Step step = plan.get(next);
                waitingFor = step;
                table.acquire(id, priority, step.span(), step.mode(), step.maxWaitMicros())
                        .whenComplete((granted, failure) -> onResult(step, failure));
            }

            void onResult(Step step, Throwable failure) {
                changed.add(this);
                waitingFor = null;
                if (failure == null) {
                    held.add(new Held(step.span(), step.mode()));
                    next++;
                    sim.schedule(this::step, random.nextInt(100));
                    return;
                }
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                AbortReason reason = assertInstanceOf(TxnAbortedException.class, cause).reason();
                switch (reason) {
                    case WOUNDED -> sim.schedule(() -> end("wounded"), 0);
                    case LOCK_TIMEOUT -> sim.schedule(() -> {
                        table.abort(id, AbortReason.LOCK_TIMEOUT);
                        held.clear();
                        end("timed out");
                    }, 0);
                    default -> fail("seed " + seed + ": " + id + " failed with " + reason);
                }
            }

            void finish() {
                changed.add(this);
                if (ended) {
                    return;
                }
                if (woundedFlag) {
                    end("wounded");
                    return;
                }
                table.release(id);
                held.clear();
                end("committed");
            }

            void end(String outcome) {
                changed.add(this);
                if (ended) {
                    return;
                }
                if (!outcome.equals("committed")) {
                    assertTrue(table.abortedReason(id).isPresent(), () -> "seed " + seed + ": " + id + " has no abort record");
                    table.forget(id);
                }
                assertFalse(table.holdsOrWaits(id), () -> "seed " + seed + ": " + id + " ended but still holds or waits");
                ended = true;
                count(outcome);
            }
        }

        /** Mostly keys, some short spans, a few open-ended or whole-keyspace spans. */
        private KeySpan workloadSpan() {
            int shape = random.nextInt(20);
            int first = random.nextInt(KEYS);
            String start = "k" + (char) ('a' + first);
            if (shape < 15) {
                return point(start);
            }
            if (shape < 18) {
                return span(start, "k" + (char) ('a' + first + 1 + random.nextInt(3)));
            }
            return shape < 19 ? KeySpan.from(key(start)) : KeySpan.ALL;
        }

        private void count(String outcome) {
            outcomes.merge(outcome, 1, Integer::sum);
        }

        private void wounded(TxnId id) {
            Driver victim = drivers.get(id);
            changed.add(victim);
            assertFalse(victim.committing, () -> "seed " + seed + ": committing " + id + " was wounded");
            assertFalse(victim.ended, () -> "seed " + seed + ": ended " + id + " was wounded");
            victim.woundedFlag = true;
            victim.held.clear();
        }

        void run() {
            for (int i = 0; i < TXNS; i++) {
                long startMicros = random.nextInt(START_SPREAD_MICROS);
                Driver driver = new Driver(new TxnId(random.nextLong(), i), startMicros);
                int steps = 1 + random.nextInt(5);
                for (int s = 0; s < steps; s++) {
                    Mode mode = random.nextBoolean() ? Mode.SHARED : Mode.EXCLUSIVE;
                    long maxWait = random.nextInt(10) == 0 ? 1 + random.nextInt(500) : LockTable.WAIT_FOREVER;
                    driver.plan.add(new Step(workloadSpan(), mode, maxWait));
                }
                drivers.put(driver.id, driver);
                ordered.add(driver);
                sim.schedule(driver::step, startMicros);
            }
            while (sim.runNext()) {
                checkLocks();
            }
            List<TxnId> stuck = ordered.stream().filter(d -> !d.ended).map(d -> d.id).toList();
            assertEquals(List.of(), stuck, "seed " + seed + ": deadlock, these never ended");
            assertEquals(0, table.size(), "seed " + seed);
        }

        /**
         * Locks exclude each other, and nobody waits for a younger woundable holder (invariant 8).
         * A new violation needs a transaction that changed in this event, so only pairs with one
         * are checked.
         */
        private void checkLocks() {
            List<Driver> active = ordered.stream().filter(Driver::isActive).toList();
            for (Driver a : changed) {
                if (!a.isActive()) {
                    continue;
                }
                for (Driver b : active) {
                    if (b != a) {
                        checkPair(a, b, true);
                        checkPair(b, a, false);
                    }
                }
            }
            changed.clear();
        }

        /** Checks {@code a}'s wait against {@code b}'s locks and, if asked, their locks against each other. */
        private void checkPair(Driver a, Driver b, boolean checkHeld) {
            Step wait = a.waitingFor;
            for (Held lock : b.held) {
                if (checkHeld) {
                    for (Held mine : a.held) {
                        if (overlaps(mine.span(), lock.span()) && conflict(mine.mode(), lock.mode())) {
                            fail("seed " + seed + ": " + a.id + " and " + b.id + " both hold " + mine + " / " + lock);
                        }
                    }
                }
                if (wait != null && overlaps(wait.span(), lock.span()) && conflict(wait.mode(), lock.mode())
                        && a.isOlderThan(b) && !b.committing) {
                    fail("seed " + seed + ": " + a.id + " waits for " + wait + " behind the younger, woundable "
                            + b.id + " holding " + lock);
                }
            }
        }

        private static boolean conflict(Mode a, Mode b) {
            return a == Mode.EXCLUSIVE || b == Mode.EXCLUSIVE;
        }
    }
}
