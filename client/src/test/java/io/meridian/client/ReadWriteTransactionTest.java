package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.meridian.api.v1.BeginTransactionRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shows how {@link MeridianClient#readWriteTransaction} treats each outcome: it re-runs the
 * function only after failures that prove nothing committed (aborts, an unavailable node before
 * commit), keeps the first attempt's priority, honours the server's retry delay, gives up with
 * the last abort when the transaction timeout passes, and never retries an ambiguous commit.
 * The fake node scripts the failures; the manual clock records the waits.
 */
class ReadWriteTransactionTest {

    private FakeCluster cluster;
    private FakeNode node;
    private ManualClock clock;
    private MeridianClient client;

    @BeforeEach
    void setUp() {
        cluster = FakeCluster.start("rw", 1);
        node = cluster.node(1);
        clock = new ManualClock();
        client = cluster.clientBuilder(clock, node).build();
        cluster.put("counter", "41");
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    /** Reads the counter, writes it plus one and counts the runs of the function. */
    private TransactionResult<Long> increment(AtomicInteger runs) {
        return client.readWriteTransaction(txn -> {
            runs.incrementAndGet();
            long next = Long.parseLong(txn.get("counter").orElseThrow().valueUtf8()) + 1;
            txn.put("counter", Long.toString(next));
            return next;
        });
    }

    @Test
    void commitsReadsAndBufferedWritesInOneTransaction() {
        AtomicInteger runs = new AtomicInteger();

        TransactionResult<Long> result = increment(runs);

        assertEquals(42L, result.value());
        assertEquals(1, result.attempts());
        assertEquals("42", cluster.value("counter"));
        assertEquals(1, node.begins.size());
        assertEquals(1, node.commits.size());
        ByteString txnId = node.commits.get(0).getTransactionId();
        assertEquals(txnId, node.reads.get(0).getTransaction().getTransactionId(), "the read is a locking read of the txn");
        assertEquals(1, node.commits.get(0).getMutationsCount());
        assertTrue(result.commitTimestamp().micros() > 0);
        assertTrue(clock.waits().isEmpty());
    }

    @Test
    void abortedCommitIsRetriedWithTheFirstPriorityAndTheServersDelay() {
        node.failCommit(Statuses.aborted("WOUNDED", Duration.ofMillis(200)),
                Statuses.aborted("WOUNDED", Duration.ofMillis(200)));
        AtomicInteger runs = new AtomicInteger();

        TransactionResult<Long> result = increment(runs);

        assertEquals(3, runs.get());
        assertEquals(3, result.attempts());
        assertEquals(42L, result.value());
        assertEquals("42", cluster.value("counter"));
        List<BeginTransactionRequest> begins = node.begins;
        assertEquals(3, begins.size());
        assertFalse(begins.get(0).getOptions().getReadWrite().hasPriority(), "the first attempt is given a priority");
        long firstPriority = node.grantedPriorities.get(0);
        assertEquals(firstPriority, begins.get(1).getOptions().getReadWrite().getPriority().getMicros());
        assertEquals(firstPriority, begins.get(2).getOptions().getReadWrite().getPriority().getMicros());
        // Jitter is 0 in these tests: backoff 10 ms then 20 ms, each on top of the server's 200 ms.
        assertEquals(List.of(Duration.ofMillis(210), Duration.ofMillis(220)), clock.waits());
    }

    @Test
    void unknownCommitOutcomeIsNeverRetried() {
        node.failCommit(Statuses.commitAmbiguous());
        AtomicInteger runs = new AtomicInteger();

        AmbiguousCommitException e = assertThrows(AmbiguousCommitException.class, () -> increment(runs));

        assertEquals(1, runs.get());
        assertEquals(1, node.commits.size());
        assertEquals(Status.Code.UNKNOWN, e.code());
        assertEquals("COMMIT_AMBIGUOUS", e.reason());
        assertEquals(node.address(), e.endpoint());
        assertEquals(node.commits.get(0).getTransactionId(), e.transactionId().orElseThrow());
        assertTrue(clock.waits().isEmpty());
    }

    @Test
    void commitDeadlineOrLostConnectionIsAmbiguousToo() {
        node.failCommit(Statuses.bare(Status.Code.DEADLINE_EXCEEDED));
        AtomicInteger runs = new AtomicInteger();
        assertEquals(Status.Code.DEADLINE_EXCEEDED,
                assertThrows(AmbiguousCommitException.class, () -> increment(runs)).code());

        node.failCommit(Statuses.bare(Status.Code.UNAVAILABLE));
        assertEquals(Status.Code.UNAVAILABLE,
                assertThrows(AmbiguousCommitException.class, () -> increment(runs)).code());

        assertEquals(2, runs.get());
        assertEquals("41", cluster.value("counter"));
    }

    @Test
    void abortedLockingReadRetriesEvenIfTheFunctionSwallowsIt() {
        node.failRead(Statuses.aborted("WOUNDED", null));
        AtomicInteger runs = new AtomicInteger();

        TransactionResult<String> result = client.readWriteTransaction(txn -> {
            runs.incrementAndGet();
            String seen;
            try {
                seen = txn.get("counter").map(KeyValue::valueUtf8).orElse("none");
            } catch (TransactionAbortedException swallowed) {
                seen = "swallowed";
            }
            txn.put("seen", seen);
            return seen;
        });

        assertEquals("41", result.value());
        assertEquals(2, result.attempts());
        assertEquals(1, node.commits.size(), "the aborted attempt never commits");
        assertEquals("41", cluster.value("seen"));
        assertEquals(1, node.rollbacks.size(), "the aborted attempt is rolled back");
    }

    @Test
    void unavailableReadBeforeCommitRetriesTheTransaction() {
        node.failRead(Statuses.fromNode(Status.Code.UNAVAILABLE, "LEASE_UNAVAILABLE"));
        AtomicInteger runs = new AtomicInteger();

        TransactionResult<Long> result = increment(runs);

        assertEquals(2, runs.get());
        assertEquals(2, result.attempts());
        assertEquals("42", cluster.value("counter"));
    }

    @Test
    void functionExceptionWritesNothingAndIsRethrownOnceTheReadsAreValidated() {
        IllegalStateException thrown = new IllegalStateException("business rule says no");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.readWriteTransaction(txn -> {
            txn.get("counter");
            txn.put("counter", "0");
            throw thrown;
        }));

        assertSame(thrown, e);
        assertEquals(1, node.commits.size(), "one commit validates the reads");
        assertEquals(0, node.commits.get(0).getMutationsCount(), "without the buffered mutations");
        assertEquals("41", cluster.value("counter"));
    }

    @Test
    void functionExceptionAfterAWoundIsRetriedNotRaised() {
        // The function's reads did not hold together (it was wounded after its first read), and
        // it threw because of what it saw: the validation commit says ABORTED, so it runs again.
        node.failCommit(Statuses.aborted("WOUNDED", null));
        AtomicInteger runs = new AtomicInteger();

        TransactionResult<String> result = client.readWriteTransaction(txn -> {
            txn.get("counter");
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("saw an impossible state");
            }
            txn.put("counter", "42");
            return "done";
        });

        assertEquals("done", result.value());
        assertEquals(2, result.attempts());
        assertEquals(2, runs.get());
        assertEquals("42", cluster.value("counter"));
    }

    @Test
    void functionExceptionWhenValidationIsImpossibleIsRethrownAndRollsBack() {
        node.failCommit(Statuses.fromNode(Status.Code.INTERNAL, "BROKEN"));
        IllegalStateException thrown = new IllegalStateException("business rule says no");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.readWriteTransaction(txn -> {
            txn.get("counter");
            throw thrown;
        }));

        assertSame(thrown, e);
        assertEquals(1, node.rollbacks.size(), "the locks are released all the same");
        assertEquals("41", cluster.value("counter"));
    }

    @Test
    void abortsUntilTheTransactionTimeoutEndWithTheLastAbort() {
        MeridianClient impatient = cluster.clientBuilder(clock, node)
                .transactionTimeout(Duration.ofSeconds(1))
                .retrySettings(new RetrySettings(Duration.ofMillis(100), Duration.ofMillis(100), 1.0, 0.0))
                .build();
        for (int i = 0; i < 100; i++) {
            node.failCommit(Statuses.aborted("LOCK_TIMEOUT", null));
        }
        AtomicInteger runs = new AtomicInteger();

        TransactionTimeoutException e = assertThrows(TransactionTimeoutException.class,
                () -> impatient.readWriteTransaction(txn -> {
                    runs.incrementAndGet();
                    txn.get("counter");
                    txn.put("counter", "x");
                    return null;
                }));

        // 100 ms waits in a 1 s budget: attempts at 0, 100, …, 1000 ms; the 11th wait would pass it.
        assertEquals(11, e.attempts());
        assertEquals(11, runs.get());
        assertEquals(10, clock.waits().size());
        TransactionAbortedException last = assertInstanceOf(TransactionAbortedException.class, e.lastFailure());
        assertEquals("LOCK_TIMEOUT", last.abortReason().orElseThrow());
        assertEquals("41", cluster.value("counter"));
        impatient.close();
    }

    @Test
    void blindWritesCommitAsOneSingleUseCommit() {
        TransactionResult<Void> result = client.readWriteTransaction(txn -> {
            txn.put("a", "1");
            txn.delete("counter");
            return null;
        });

        assertNull(result.value());
        assertTrue(node.begins.isEmpty());
        assertEquals(1, node.commits.size());
        assertTrue(node.commits.get(0).getSingleUse());
        assertEquals("1", cluster.value("a"));
        assertNull(cluster.value("counter"));
    }

    @Test
    void emptyTransactionStillCommitsAndReportsATimestamp() {
        TransactionResult<String> result = client.readWriteTransaction(txn -> "nothing");

        assertEquals("nothing", result.value());
        assertEquals(1, node.begins.size());
        assertEquals(0, node.commits.get(0).getMutationsCount());
    }

    @Test
    void handDrivenTransactionSurfacesAbortsWithoutRetrying() {
        node.failCommit(Statuses.aborted("WOUNDED", Duration.ofMillis(1)));
        ReadWriteTransaction txn = client.beginReadWriteTransaction();
        txn.get("counter");
        txn.put("counter", "7");

        TransactionAbortedException e = assertThrows(TransactionAbortedException.class, txn::commit);

        assertEquals("WOUNDED", e.abortReason().orElseThrow());
        assertEquals(Duration.ofMillis(1), e.retryDelay().orElseThrow());
        assertEquals(1, node.commits.size());
        assertThrows(IllegalStateException.class, () -> txn.get("counter"));
        txn.close();
        assertEquals("41", cluster.value("counter"));
    }

    @Test
    void handDrivenTransactionKeepsItselfAliveOnRequestAndLearnsWhenItEnded() {
        try (ReadWriteTransaction txn = client.beginReadWriteTransaction()) {
            txn.keepAlive();
            assertTrue(node.keepAlives.isEmpty(), "nothing to keep alive before the first read");
            txn.get("counter");
            txn.keepAlive();
            assertEquals(1, node.keepAlives.size());

            node.forgetTransactions();
            NotFoundException e = assertThrows(NotFoundException.class, txn::keepAlive);
            assertEquals("TRANSACTION_NOT_FOUND", e.reason());
            txn.put("counter", "7");
            assertThrows(NotFoundException.class, txn::commit, "the ended transaction cannot commit");
        }
        assertEquals("41", cluster.value("counter"));
    }

    @Test
    void handDrivenTransactionRollsBackOnClose() {
        try (ReadWriteTransaction txn = client.beginReadWriteTransaction()) {
            txn.get("counter");
            txn.put("counter", "7");
        }

        assertEquals(1, node.rollbacks.size());
        assertTrue(node.commits.isEmpty());
    }

    @Test
    void invalidCommitIsNotRetried() {
        node.failCommit(Statuses.fromNode(Status.Code.INVALID_ARGUMENT, "LIMIT_EXCEEDED"));
        AtomicInteger runs = new AtomicInteger();

        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> increment(runs));

        assertEquals("LIMIT_EXCEEDED", e.reason());
        assertEquals(1, runs.get());
    }
}
