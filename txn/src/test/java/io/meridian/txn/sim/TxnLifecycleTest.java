package io.meridian.txn.sim;

import static io.meridian.txn.sim.TaggedValue.bytes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.groups.ReadSpec;
import io.meridian.storage.Mutation;
import io.meridian.txn.AbortReason;
import io.meridian.txn.Failures;
import io.meridian.txn.ReadWriteTxn;
import io.meridian.txn.TxnAbortedException;
import io.meridian.txn.TxnDriver;
import io.meridian.txn.TxnTransport;
import io.meridian.truetime.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two background duties of a participant, on the deterministic simulator with its short
 * timings ({@link SimWorld#TXN_OPTIONS}: idle timeout 600 ms, lock wait 150 ms, record retention
 * 1 s): a transaction whose gateway vanished is aborted after its idle timeout and its locks
 * released; a group a committed transaction only read releases its read locks soon after the
 * commit, not at the idle timeout; and decision records are forgotten once their retention has
 * passed.
 */
class TxnLifecycleTest {

    private static final long LIMIT_MICROS = 30_000_000;

    @TempDir
    Path dir;

    @Test
    void aTransactionWhoseGatewayVanishedIsAbortedAfterItsIdleTimeoutAndItsLocksReleased() {
        try (SimWorld world = new SimWorld(new SimConfig(11, SimConfig.ClockMode.HONEST, Duration.ofSeconds(1), false),
                dir)) {
            world.start();
            SimNode gateway = world.nodes.get(0);
            Gate gate = new Gate(world.network.transportFrom(gateway.id));
            TxnDriver vanishing = new TxnDriver(gateway.trueTime, world.scheduler, world.router, gate,
                    SimWorld.TXN_OPTIONS, new Random(1));
            ByteString key = bytes(world.accounts.get(0));
            ReadSpec spec = new ReadSpec.Keys(List.of(key));

            ReadWriteTxn abandoned = vanishing.begin(OptionalLong.empty());
            CompletableFuture<?> locked = abandoned.read(spec);
            world.runUntil(locked::isDone, LIMIT_MICROS, "the first transaction's locking read");
            assertFalse(locked.isCompletedExceptionally(), "the first transaction holds its read lock");
            gate.close();
            long vanishedAt = world.nowMicros();

            // A younger writer of the same key waits for the older holder (wound-wait), so its
            // attempts time out on the lock until the holder is aborted for being idle.
            TxnDriver writer = world.driver(world.nodes.get(1));
            List<AbortReason> aborts = new ArrayList<>();
            long committedAt = -1;
            // Younger than the abandoned one, whatever the two gateways' clocks say.
            OptionalLong priority = OptionalLong.of(abandoned.priorityMicros() + 1);
            while (committedAt < 0 && world.nowMicros() - vanishedAt < LIMIT_MICROS) {
                ReadWriteTxn attempt = writer.begin(priority);
                priority = OptionalLong.of(attempt.priorityMicros());
                CompletableFuture<Timestamp> commit = attempt.read(spec)
                        .thenCompose(read -> attempt.commit(List.of(new Mutation.Put(key, bytes("after")))));
                world.runUntil(commit::isDone, LIMIT_MICROS, "an attempt to finish");
                if (commit.isCompletedExceptionally()) {
                    Throwable cause = Failures.unwrap(commit.handle((ts, failure) -> failure).join());
                    aborts.add(((TxnAbortedException) cause).reason());
                } else {
                    committedAt = world.nowMicros();
                }
            }
            assertTrue(committedAt > 0, "the writer committed once the abandoned transaction was aborted");
            assertFalse(aborts.isEmpty(), "the writer first waited on the abandoned transaction's lock");
            assertTrue(aborts.stream().allMatch(reason -> reason == AbortReason.LOCK_TIMEOUT), aborts.toString());
            long idleMicros = SimWorld.TXN_OPTIONS.idleTimeout().toNanos() / 1_000;
            long keepAliveMicros = SimWorld.TXN_OPTIONS.keepAliveInterval().toNanos() / 1_000;
            assertTrue(committedAt - vanishedAt >= idleMicros - keepAliveMicros,
                    "the lock was held until the idle timeout: released after " + (committedAt - vanishedAt) + "us");
        }
    }

    @Test
    void aGroupOnlyReadReleasesTheReadLocksOnceTheCommitTimestampHasPassed() {
        try (SimWorld world = new SimWorld(new SimConfig(13, SimConfig.ClockMode.HONEST, Duration.ofSeconds(1), false),
                dir)) {
            world.start();
            ByteString read = bytes(world.accounts.get(0));
            ByteString written = world.accounts.stream().map(TaggedValue::bytes)
                    .filter(key -> !world.router.groupOf(key).equals(world.router.groupOf(read)))
                    .findFirst().orElseThrow();

            // Reads one group, writes another: the read group only validates at commit.
            ReadWriteTxn reader = world.driver(world.nodes.get(0)).begin(OptionalLong.empty());
            CompletableFuture<Timestamp> first = reader.read(new ReadSpec.Keys(List.of(read)))
                    .thenCompose(result -> reader.commit(List.of(new Mutation.Put(written, bytes("moved")))));
            world.runUntil(first::isDone, LIMIT_MICROS, "the reading transaction's commit");
            first.join();
            long committedAt = world.nowMicros();

            // A younger writer of the key read: it gets the lock without waiting for the idle timeout.
            ReadWriteTxn writer = world.driver(world.nodes.get(1)).begin(OptionalLong.of(reader.priorityMicros() + 1));
            CompletableFuture<Timestamp> second = writer.commit(List.of(new Mutation.Put(read, bytes("after"))));
            world.runUntil(second::isDone, LIMIT_MICROS, "the writer's commit");
            second.join();
            long idleMicros = SimWorld.TXN_OPTIONS.idleTimeout().toNanos() / 1_000;
            assertTrue(world.nowMicros() - committedAt < idleMicros / 2, "the writer waited "
                    + (world.nowMicros() - committedAt) + "us, as if the read lock were kept until the idle timeout");
        }
    }

    @Test
    void decisionRecordsAreForgottenAfterTheirRetention() {
        try (SimWorld world = new SimWorld(new SimConfig(12, SimConfig.ClockMode.HONEST, Duration.ofSeconds(1), false),
                dir)) {
            world.start();
            List<Mutation> writes = new ArrayList<>();
            for (String account : world.accounts) {
                writes.add(new Mutation.Put(bytes(account), bytes("x")));
            }
            ReadWriteTxn txn = world.driver(world.nodes.get(0)).begin(OptionalLong.empty());
            CompletableFuture<Timestamp> commit = txn.commit(writes);
            world.runUntil(commit::isDone, LIMIT_MICROS, "the multi-group commit");
            commit.join();
            assertTrue(recordsKept(world) > 0, "the coordinator keeps the decision");

            long retentionMicros = SimWorld.TXN_OPTIONS.recordRetention().toNanos() / 1_000;
            long commitTimeoutMicros = SimWorld.TXN_OPTIONS.commitTimeout().toNanos() / 1_000;
            assertTrue(world.runWhileNot(() -> recordsKept(world) == 0,
                    commitTimeoutMicros + retentionMicros + 5_000_000), "every record forgotten after the retention");
        }
    }

    /** Decision records held by the groups' leaders. */
    private static int recordsKept(SimWorld world) {
        int kept = 0;
        for (SimWorld.Group group : world.groups.values()) {
            SimNode leader = world.leader(group).orElseThrow();
            kept += leader.replica(group.id()).orElseThrow().replica.txnRecords().size();
        }
        return kept;
    }

    /** A gateway's transport that goes silent when closed: its messages are lost from then on. */
    private static final class Gate implements TxnTransport {
        private final TxnTransport through;
        private final AtomicBoolean closed = new AtomicBoolean();

        Gate(TxnTransport through) {
            this.through = through;
        }

        void close() {
            closed.set(true);
        }

        @Override
        public CompletableFuture<TxnReply> send(TxnRequest request) {
            return closed.get() ? new CompletableFuture<>() : through.send(request);
        }
    }
}
