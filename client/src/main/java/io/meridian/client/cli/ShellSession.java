package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import io.meridian.client.AmbiguousCommitException;
import io.meridian.client.KeySpan;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.MeridianException;
import io.meridian.client.Mutation;
import io.meridian.client.ReadContext;
import io.meridian.client.ReadOnlyTransaction;
import io.meridian.client.ReadResult;
import io.meridian.client.ReadWriteTransaction;
import io.meridian.client.Scan;
import io.meridian.client.ScanOptions;
import io.meridian.client.Timestamp;
import io.meridian.client.TimestampBound;
import io.meridian.client.TransactionAbortedException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs shell commands against a cluster through the SDK, printing their answers. Holds what a
 * session remembers between commands: the open transaction, if any, and whether
 * {@code \timing} is on.
 *
 * <p>Answers go to {@code out}, one-line {@code error: ...} messages to {@code err} (the same
 * writer on a terminal). Outside a transaction each read is a single-use read at its bound
 * (strong by default) and each write a single-use commit; after {@code begin} they run in the
 * transaction. Every read prints the timestamp it read at, every commit its commit timestamp. A
 * commit ends its transaction whatever its outcome; an abort of a read ends it too.
 *
 * <p>Used by one thread. Independent of JLine: tests drive it with lines and writers.
 */
final class ShellSession {

    /** What running a line did. */
    enum Outcome {
        /** Every command of the line succeeded. */
        OK,
        /** A command failed (its error is printed); the line's later commands did not run. */
        FAILED,
        /** The line asked to leave. */
        QUIT
    }

    /** The transaction commands run in. */
    private sealed interface Transaction {
    }

    /** No transaction: single-use reads and writes. */
    private record NoTransaction() implements Transaction {
    }

    /** After {@code begin}: locking reads, buffered writes. */
    private record ReadWrite(ReadWriteTransaction txn) implements Transaction {
    }

    /** After {@code begin read-only}: every read at {@code readTimestamp}. */
    private record ReadOnly(ReadOnlyTransaction txn, Timestamp readTimestamp) implements Transaction {
    }

    private final MeridianClient client;
    private final PrintWriter out;
    private final PrintWriter err;
    private final LongSupplier nanoTime;
    /** Volatile: the keep-alive timer reads it ({@link #keepOpenTransactionAlive}). */
    private volatile Transaction transaction = new NoTransaction();
    private boolean timing;

    /**
     * A session with no transaction open and timing off.
     *
     * @param client   the cluster (the caller closes it)
     * @param out      where answers go
     * @param err      where errors go
     * @param nanoTime the clock {@code \timing} measures with, e.g. {@code System::nanoTime}
     */
    ShellSession(MeridianClient client, PrintWriter out, PrintWriter err, LongSupplier nanoTime) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.nanoTime = nanoTime;
    }

    /**
     * Runs one line: its commands in order, stopping at the first that fails.
     *
     * @param line the line typed
     * @return what happened
     */
    Outcome execute(String line) {
        List<List<Word>> statements;
        try {
            statements = CommandLexer.statements(line);
        } catch (ShellSyntaxException e) {
            return failed(e.getMessage());
        }
        for (List<Word> words : statements) {
            Outcome outcome = executeStatement(words);
            if (outcome != Outcome.OK) {
                return outcome;
            }
        }
        return Outcome.OK;
    }

    /**
     * Keeps an open read-write transaction alive while the user thinks: the server ends a
     * transaction that made no request for 10 s. Called every few seconds by a timer thread,
     * concurrently with {@link #execute}. A failure is not printed here; the transaction's next
     * command meets it and reports it.
     */
    void keepOpenTransactionAlive() {
        if (transaction instanceof ReadWrite readWrite) {
            try {
                readWrite.txn().keepAlive();
            } catch (RuntimeException e) {
                // Ended meanwhile (committed, rolled back, or by the server): the next command says so.
            }
        }
    }

    /**
     * The prompt, which shows whether a transaction is open.
     *
     * @return {@code meridian> }, {@code meridian[rw]> } or {@code meridian[ro]> }
     */
    String prompt() {
        return switch (transaction) {
            case NoTransaction none -> "meridian> ";
            case ReadWrite readWrite -> "meridian[rw]> ";
            case ReadOnly readOnly -> "meridian[ro]> ";
        };
    }

    /**
     * Ends the session: rolls back a transaction left open, saying so.
     *
     * @param leftOpenIsFailure true when a transaction still open is a mistake to report as an
     *                          error (a script that forgot its commit), false when the user chose
     *                          to leave (quit at a terminal)
     * @return true if a transaction was left open
     */
    boolean end(boolean leftOpenIsFailure) {
        if (transaction instanceof NoTransaction) {
            return false;
        }
        endTransaction();
        err.println(leftOpenIsFailure ? "error: the input ended inside a transaction: rolled it back"
                : "rolled back the open transaction: nothing it wrote was committed");
        err.flush();
        return true;
    }

    private Outcome executeStatement(List<Word> words) {
        Command command;
        try {
            command = CommandParser.parse(words);
        } catch (ShellSyntaxException e) {
            return failed(e.getMessage());
        }
        long startNanos = nanoTime.getAsLong();
        Outcome outcome;
        try {
            outcome = run(command);
        } catch (MeridianException e) {
            outcome = failed(ErrorText.describe(e) + afterFailure(command, e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The SDK refused the request before sending it (a value it checks itself).
            outcome = failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not a user error: one line that names it, and the session (and the cluster
            // bin/meridian local runs under it) goes on.
            outcome = failed("internal error: " + e);
        }
        if (timing && !(command instanceof Command.Timing)) {
            out.println("Time: " + ShellText.millis(Duration.ofNanos(nanoTime.getAsLong() - startNanos)));
        }
        out.flush();
        err.flush();
        return outcome;
    }

    private Outcome run(Command command) {
        return switch (command) {
            case Command.Get get -> get(get);
            case Command.Scan scan -> scan(scan);
            case Command.Put put -> write(Mutation.put(put.key(), put.value()));
            case Command.Delete delete -> write(Mutation.delete(delete.key()));
            case Command.DeleteRange range -> write(Mutation.deleteRange(KeySpan.of(range.start(), range.end())));
            case Command.BeginReadWrite begin -> beginReadWrite();
            case Command.BeginReadOnly begin -> beginReadOnly(begin.bound());
            case Command.Commit commit -> commit();
            case Command.Rollback rollback -> rollback();
            case Command.Status status -> status();
            case Command.Ranges ranges -> section("ranges", () -> StatusView.ranges(client.admin().listRanges()))
                    ? Outcome.OK : Outcome.FAILED;
            case Command.Timing setting -> timing(setting.on());
            case Command.Help help -> {
                out.println(CommandGrammar.help());
                yield Outcome.OK;
            }
            case Command.Quit quit -> Outcome.QUIT;
        };
    }

    private Outcome get(Command.Get get) {
        Optional<ReadContext> reads = reads(get.bound());
        if (reads.isEmpty()) {
            return boundInTransaction();
        }
        ReadResult result = reads.get().read(List.of(get.key()));
        result.get(get.key()).ifPresentOrElse(this::printRow, () -> out.println(ShellText.show(get.key()) + ": not found"));
        out.println("read at " + ShellText.timestamp(result.readTimestamp().micros()) + lockNote());
        return Outcome.OK;
    }

    private Outcome scan(Command.Scan command) {
        Optional<ReadContext> reads = reads(command.bound());
        if (reads.isEmpty()) {
            return boundInTransaction();
        }
        // One row past the limit tells whether there is more, and where it starts.
        long wanted = command.limit() + 1L;
        ScanOptions options = ScanOptions.defaults().withLimit(wanted).withReverse(command.reverse())
                .withPageSize((int) Math.min(wanted, ScanOptions.PAGE_SIZE_MAX));
        try (Scan scan = reads.get().scan(KeySpan.of(command.start(), command.end()), options)) {
            int printed = 0;
            Optional<KeyValue> last = Optional.empty();
            Optional<KeyValue> next = Optional.empty();
            for (KeyValue row : scan) {
                if (printed == command.limit()) {
                    next = Optional.of(row);
                    break;
                }
                printRow(row);
                last = Optional.of(row);
                printed++;
            }
            Timestamp readAt = scan.readTimestamp();
            out.println(printed + (printed == 1 ? " row" : " rows") + ", read at " + ShellText.timestamp(readAt.micros())
                    + lockNote());
            if (next.isPresent()) {
                // Forward, the rest starts at the first row not printed; in reverse it lies below the last printed.
                ByteString start = command.reverse() ? command.start() : next.get().key();
                ByteString end = command.reverse() ? last.orElseThrow().key() : command.end();
                out.println("(limit reached; for more: " + continuation(command, start, end, readAt) + ")");
            }
        }
        return Outcome.OK;
    }

    /** The scan of the rest of a limited scan, at the same snapshot when it was single-use. */
    private String continuation(Command.Scan command, ByteString start, ByteString end, Timestamp readAt) {
        StringBuilder next = new StringBuilder("scan ").append(ShellText.show(start));
        if (!end.isEmpty()) {
            next.append(' ').append(ShellText.show(end));
        }
        if (command.limit() != CommandGrammar.SCAN_LIMIT_DEFAULT) {
            next.append(" limit ").append(command.limit());
        }
        if (command.reverse()) {
            next.append(" reverse");
        }
        if (transaction instanceof NoTransaction) {
            next.append(" at ").append(readAt.micros());
        }
        return next.toString();
    }

    private Outcome write(Mutation mutation) {
        switch (transaction) {
            case NoTransaction none -> {
                Timestamp committed = client.write(mutation);
                out.println("OK, committed at " + ShellText.timestamp(committed.micros()));
            }
            case ReadWrite readWrite -> {
                readWrite.txn().buffer(mutation);
                int buffered = readWrite.txn().bufferedMutations().size();
                out.println("OK, buffered (" + buffered + (buffered == 1 ? " write" : " writes") + " to commit)");
            }
            case ReadOnly readOnly -> {
                return failed("the transaction is read-only: commit or rollback it before writing");
            }
        }
        return Outcome.OK;
    }

    private Outcome beginReadWrite() {
        if (!(transaction instanceof NoTransaction)) {
            return alreadyInTransaction();
        }
        transaction = new ReadWrite(client.beginReadWriteTransaction());
        out.println("OK, began a read-write transaction: reads lock what they read, writes wait for commit");
        return Outcome.OK;
    }

    private Outcome beginReadOnly(TimestampBound bound) {
        if (!(transaction instanceof NoTransaction)) {
            return alreadyInTransaction();
        }
        ReadOnlyTransaction txn = client.readOnlyTransaction(bound);
        Timestamp readAt;
        try {
            readAt = txn.readTimestamp();
        } catch (MeridianException e) {
            txn.close();
            throw e;
        }
        transaction = new ReadOnly(txn, readAt);
        out.println("OK, began a read-only transaction reading at " + ShellText.timestamp(readAt.micros()));
        return Outcome.OK;
    }

    private Outcome commit() {
        switch (transaction) {
            case NoTransaction none -> {
                return failed("no transaction is open (begin starts one)");
            }
            case ReadWrite readWrite -> {
                // Whatever the commit's outcome, the transaction is over afterwards.
                transaction = new NoTransaction();
                int writes = readWrite.txn().bufferedMutations().size();
                Timestamp committed;
                try {
                    committed = readWrite.txn().commit();
                } finally {
                    readWrite.txn().close();
                }
                out.println("OK, committed at " + ShellText.timestamp(committed.micros()) + " ("
                        + writes + (writes == 1 ? " write)" : " writes)"));
            }
            case ReadOnly readOnly -> {
                endTransaction();
                out.println("OK, ended the read-only transaction (it read at "
                        + ShellText.timestamp(readOnly.readTimestamp().micros()) + ")");
            }
        }
        return Outcome.OK;
    }

    private Outcome rollback() {
        if (transaction instanceof NoTransaction) {
            return failed("no transaction is open (begin starts one)");
        }
        boolean readWrite = transaction instanceof ReadWrite;
        endTransaction();
        out.println(readWrite ? "OK, rolled back: nothing was written" : "OK, ended the read-only transaction");
        return Outcome.OK;
    }

    private Outcome status() {
        boolean nodes = section("nodes", () -> StatusView.nodes(client.admin().listNodes()));
        boolean groups = section("groups", () -> StatusView.groups(client.admin().listGroups()));
        boolean ranges = section("ranges", () -> StatusView.ranges(client.admin().listRanges()));
        return nodes && groups && ranges ? Outcome.OK : Outcome.FAILED;
    }

    /** Prints one titled table, or its error: one failing call does not hide the other tables. */
    private boolean section(String title, Supplier<List<String>> table) {
        out.println(title);
        try {
            table.get().forEach(out::println);
            return true;
        } catch (MeridianException e) {
            out.flush();
            err.println("  error: " + ErrorText.describe(e));
            err.flush();
            return false;
        }
    }

    private Outcome timing(Optional<Boolean> on) {
        timing = on.orElse(!timing);
        out.println("Timing is " + (timing ? "on." : "off."));
        return Outcome.OK;
    }

    /** Where a read runs: the open transaction, or a single-use context at the bound; empty if a bound was given in a transaction. */
    private Optional<ReadContext> reads(Optional<TimestampBound> bound) {
        return switch (transaction) {
            case NoTransaction none -> Optional.of(client.singleUse(bound.orElse(TimestampBound.strong())));
            case ReadWrite readWrite -> bound.isPresent() ? Optional.empty() : Optional.of(readWrite.txn());
            case ReadOnly readOnly -> bound.isPresent() ? Optional.empty() : Optional.of(readOnly.txn());
        };
    }

    /** What a read in a read-write transaction adds to its read-at line. */
    private String lockNote() {
        return transaction instanceof ReadWrite ? ", locked until commit or rollback" : "";
    }

    private void printRow(KeyValue row) {
        out.println(ShellText.show(row.key()) + " = " + ShellText.show(row.value()) + "  (version " + row.versionTimestamp().micros() + ")");
    }

    /**
     * What a failure did to the open transaction, as the end of its error line: an abort ends
     * a read-write transaction (and a commit is over whatever its outcome).
     */
    private String afterFailure(Command command, MeridianException failure) {
        if (command instanceof Command.Commit) {
            return switch (failure) {
                case AmbiguousCommitException ambiguous ->
                        "; the transaction may or may not have committed: read what it wrote to find out";
                case TransactionAbortedException aborted -> "; the transaction did not commit and is over (begin again to retry)";
                default -> "; the transaction did not commit and is over";
            };
        }
        if (failure instanceof AmbiguousCommitException) {
            return "; the write may or may not have committed: read the key to find out";
        }
        if (failure instanceof TransactionAbortedException && transaction instanceof ReadWrite) {
            endTransaction();
            return "; the transaction was aborted and is over (begin again to retry)";
        }
        return "";
    }

    /** Rolls back or closes the open transaction (best effort: neither throws) and forgets it. */
    private void endTransaction() {
        switch (transaction) {
            case NoTransaction none -> {
            }
            case ReadWrite readWrite -> readWrite.txn().rollback();
            case ReadOnly readOnly -> readOnly.txn().close();
        }
        transaction = new NoTransaction();
    }

    private Outcome boundInTransaction() {
        return failed("a bound is for reads outside a transaction; in a transaction every read uses the"
                + " transaction's own (commit or rollback first)");
    }

    private Outcome alreadyInTransaction() {
        return failed("a transaction is already open (commit or rollback it first)");
    }

    private Outcome failed(String message) {
        out.flush();
        err.println("error: " + message);
        err.flush();
        return Outcome.FAILED;
    }
}
