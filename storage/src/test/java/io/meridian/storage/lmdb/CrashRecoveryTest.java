package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.StoreNeedsRebuildException;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows that a process killed with SIGKILL in the middle of writing loses no completed batch
 * and keeps no partial one: a child JVM applies numbered batches ({@link CrashWorkload}) and
 * prints each applied index; the test kills it after reading some lines, reopens the store,
 * and checks the applied index is at least the last printed one and the data is exactly that
 * of batches 1..appliedIndex. Several rounds grow the store. It also shows that the same
 * unsynced store is refused after a (simulated) machine restart, and accepted after a clean
 * close.
 */
class CrashRecoveryTest {

    private static final int[] LINES_PER_ROUND = {5, 40, 150, 400};

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killedWriterLeavesEveryCompletedBatchAndNoPartialOne() throws Exception {
        Path store = dir.resolve("store");
        Path bootBeforeCrash = writeBootId("boot-1");
        for (int round = 0; round < LINES_PER_ROUND.length; round++) {
            long lastPrinted = runChildAndKill(store, bootBeforeCrash, LINES_PER_ROUND[round], round);
            boolean lastRound = round == LINES_PER_ROUND.length - 1;
            if (lastRound) {
                Path bootAfterPowerLoss = writeBootId("boot-2");
                assertThrows(StoreNeedsRebuildException.class,
                        () -> LmdbMvccStore.open(store, TestData.options(store).withBootIdFile(bootAfterPowerLoss)));
            }
            try (LmdbMvccStore reopened = LmdbMvccStore.open(store, TestData.options(store).withBootIdFile(bootBeforeCrash))) {
                long applied = reopened.appliedIndex(GROUP);
                System.out.println("round " + round + ": child printed up to " + lastPrinted
                        + ", reopened store has applied index " + applied);
                assertTrue(applied >= lastPrinted, "round " + round + ": applied index " + applied
                        + " is below the last index the child printed, " + lastPrinted);
                assertHoldsExactlyBatchesUpTo(reopened, applied);
            }
        }
        Path bootAfterCleanRestart = writeBootId("boot-3");
        try (LmdbMvccStore afterCleanClose = LmdbMvccStore.open(store, TestData.options(store).withBootIdFile(bootAfterCleanRestart))) {
            assertTrue(afterCleanClose.appliedIndex(GROUP) > 0);
        }
    }

    /** Starts the writer, waits for {@code lines} printed indices, kills it; returns the last. */
    private long runChildAndKill(Path store, Path bootId, int lines, int round) throws IOException, InterruptedException {
        Path stderr = dir.resolve("child-" + round + ".err");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                CrashWorkload.class.getName(), store.toString(), bootId.toString()));
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        long lastPrinted = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (int read = 0; read < lines; read++) {
                String line = out.readLine();
                assertNotNull(line, () -> "child stopped after " + lastPrintedText(stderr));
                lastPrinted = Long.parseLong(line.trim());
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        return lastPrinted;
    }

    private void assertHoldsExactlyBatchesUpTo(LmdbMvccStore store, long applied) {
        MvccModel model = new MvccModel();
        for (long i = 1; i <= applied; i++) {
            model.apply(CrashWorkload.batch(i));
        }
        long newestMicros = applied * 10;
        for (long micros : new long[] {Long.MAX_VALUE, newestMicros, newestMicros - 1, newestMicros / 2, 5}) {
            Timestamp readTs = Timestamp.ofMicros(micros);
            assertEquals(scanAll(model::scan, readTs), scanAll(store::scan, readTs), "all rows at " + readTs);
        }
        assertEquals(Optional.of(bytes(Long.toString(applied))), store.get(bytes("counter"), Timestamp.MAX).map(Version::value));
        assertEquals(model.metadata(GROUP, "last-batch"), store.metadata(GROUP, "last-batch"));
        assertEquals(model.preparedTxns(GROUP), store.preparedTxns(GROUP));
    }

    private interface Scanner {
        ScanResult scan(KeySpan span, Timestamp readTs, int limit, ScanDirection direction);
    }

    private static List<ByteString> scanAll(Scanner scanner, Timestamp readTs) {
        List<ByteString> rows = new ArrayList<>();
        Optional<KeySpan> remaining = Optional.of(KeySpan.ALL);
        while (remaining.isPresent()) {
            ScanResult page = scanner.scan(remaining.get(), readTs, 1000, ScanDirection.FORWARD);
            page.rows().forEach(row -> rows.add(row.key().concat(bytes("=")).concat(row.value())
                    .concat(bytes("@" + row.ts().micros()))));
            remaining = page.remainder(remaining.get(), ScanDirection.FORWARD);
        }
        return rows;
    }

    private Path writeBootId(String id) throws IOException {
        return Files.writeString(dir.resolve(id), id + "\n");
    }

    private static String lastPrintedText(Path stderr) {
        try {
            return "its stderr:\n" + Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
