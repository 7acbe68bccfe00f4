package io.meridian.server.local;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.CommitRequest;
import io.meridian.api.v1.CommitResponse;
import io.meridian.api.v1.DatabaseGrpc;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LeaderHint;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.ReadResponse;
import io.meridian.api.v1.Row;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.api.v1.TransactionSelector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A minimal interactive shell over the public {@code meridian.v1} gRPC API, with plain blocking
 * stubs: {@code get}, {@code put}, {@code delete}, {@code scan}, {@code status}, {@code help},
 * {@code quit}; end of input (Ctrl-D) ends it too. Every answer names the timestamp the read or
 * commit used; an error prints its gRPC status code and message, never a stack trace. Keys and
 * values are UTF-8 text ({@link ShellText} for quoting and escapes). The full CLI lives in
 * {@code client/}.
 *
 * <p>Reads are single-use strong reads; writes are single-use commits. {@code scan} reads its
 * pages at the first page's timestamp, so a long scan is one snapshot.
 *
 * <p>One shell serves one input at a time; it does not own the channel.
 */
public final class MiniShell {

    /** The rows a {@code scan} returns when no limit is given. */
    static final int SCAN_LIMIT_DEFAULT = 100;
    /** The rows asked for in one Read (the server's own cap for Read). */
    private static final int PAGE_ROWS_MAX = 1_000;
    private static final String PROMPT = "meridian> ";

    private static final String HELP = """
            commands:
              get <key>                   read one key (a strong read)
              put <key> <value>           write one key, in a transaction of its own
              delete <key>                delete one key
              scan <start> [end] [limit]  keys in [start, end), at most limit (default %d);
                                          "" is the empty key: scan "" reads from the first key
              status                      nodes, ranges and groups
              help                        this list
              quit                        leave (Ctrl-D too)
            keys and values are UTF-8 text; quote them "like this" for spaces, with \\" \\\\ \\n \\t \\xNN
            escapes, or 'like this' for literal text. Answers show the timestamp read at or committed at
            (microseconds since the Unix epoch, then UTC).""".formatted(SCAN_LIMIT_DEFAULT);

    private final DatabaseGrpc.DatabaseBlockingStub database;
    private final AdminGrpc.AdminBlockingStub admin;
    private final Duration rpcTimeout;

    /**
     * A shell over a channel to any node.
     *
     * @param channel    a channel to a node's client address (the caller owns and closes it)
     * @param rpcTimeout the deadline of each call
     */
    public MiniShell(Channel channel, Duration rpcTimeout) {
        this.database = DatabaseGrpc.newBlockingStub(channel);
        this.admin = AdminGrpc.newBlockingStub(channel);
        this.rpcTimeout = rpcTimeout;
    }

    /**
     * Reads commands from {@code in} until {@code quit} or end of input, answering on {@code out}.
     *
     * @param in     the commands, UTF-8, one per line ({@code #} starts a comment line)
     * @param out    where answers go
     * @param prompt whether to print a prompt before each command (only for a terminal)
     * @throws IOException if reading {@code in} fails
     */
    public void run(InputStream in, PrintStream out, boolean prompt) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            if (prompt) {
                out.print(PROMPT);
                out.flush();
            }
            String line = reader.readLine();
            if (line == null) {
                if (prompt) {
                    out.println();
                }
                return;
            }
            if (!execute(line, out)) {
                return;
            }
            out.flush();
        }
    }

    /**
     * Runs one command line.
     *
     * @param line the line
     * @param out  where the answer goes
     * @return false if the line asked to quit
     */
    boolean execute(String line, PrintStream out) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        List<ByteString> words;
        try {
            words = ShellText.words(trimmed);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return true;
        }
        String command = ShellText.text(words.get(0)).toLowerCase(Locale.ROOT);
        List<ByteString> args = words.subList(1, words.size());
        try {
            switch (command) {
                case "get" -> withArgs(args, 1, 1, "get <key>", out, () -> get(args.get(0), out));
                case "put" -> withArgs(args, 2, 2, "put <key> <value>", out, () -> put(args.get(0), args.get(1), out));
                case "delete", "del" -> withArgs(args, 1, 1, "delete <key>", out, () -> delete(args.get(0), out));
                case "scan" -> withArgs(args, 1, 3, "scan <start> [end] [limit]", out, () -> scan(args, out));
                case "status" -> withArgs(args, 0, 0, "status", out, () -> status(out));
                case "help", "?" -> out.println(HELP);
                case "quit", "exit", "\\q" -> {
                    return false;
                }
                default -> out.println("error: unknown command '" + command + "' (try help)");
            }
        } catch (StatusRuntimeException e) {
            out.println(describe(e, command.equals("put") || command.equals("delete") || command.equals("del")));
        } catch (RuntimeException e) {
            out.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return true;
    }

    /**
     * Whether standard input is a terminal, so that the shell should prompt.
     *
     * @return false when input is piped or redirected
     */
    public static boolean stdinIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a console even when redirected; isTerminal() tells (absent on 21, where
            // a non-null console already means a terminal).
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private void get(ByteString key, PrintStream out) {
        ReadResponse response = database().read(ReadRequest.newBuilder().setTransaction(strong()).addKeys(key).build());
        if (response.getRowsCount() == 0) {
            out.println(ShellText.show(key) + ": not found");
        } else {
            printRow(response.getRows(0), out);
        }
        out.println("read at " + ShellText.timestamp(response.getReadTimestamp()));
    }

    private void put(ByteString key, ByteString value, PrintStream out) {
        Mutation put = Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(key).setValue(value)).build();
        CommitResponse response = commit(put);
        out.println("OK, committed at " + ShellText.timestamp(response.getCommitTimestamp()));
    }

    private void delete(ByteString key, PrintStream out) {
        Mutation delete = Mutation.newBuilder().setDelete(Mutation.Delete.newBuilder().setKey(key)).build();
        CommitResponse response = commit(delete);
        out.println("OK, deleted " + ShellText.show(key) + " (if it existed), committed at "
                + ShellText.timestamp(response.getCommitTimestamp()));
    }

    private CommitResponse commit(Mutation mutation) {
        return database().commit(CommitRequest.newBuilder().setSingleUse(true).addMutations(mutation).build());
    }

    private void scan(List<ByteString> args, PrintStream out) {
        KeyRange range = KeyRange.newBuilder().setStart(args.get(0))
                .setEnd(args.size() > 1 ? args.get(1) : ByteString.EMPTY).build();
        long limit = SCAN_LIMIT_DEFAULT;
        if (args.size() > 2) {
            limit = parseLimit(ShellText.text(args.get(2)));
            if (limit < 1) {
                out.println("error: the limit must be a positive whole number, not " + ShellText.show(args.get(2)));
                return;
            }
        }
        TransactionSelector selector = strong();
        Timestamp readAt = Timestamp.getDefaultInstance();
        ByteString resume = ByteString.EMPTY;
        long rows = 0;
        long pages = 0;
        // A page that neither returns rows nor moves the resume key ends the scan; the page bound
        // also stops a server that would keep sending empty pages.
        do {
            pages++;
            ReadRequest.Builder request = ReadRequest.newBuilder().setTransaction(selector).setRange(range)
                    .setLimit(Math.min(limit - rows, PAGE_ROWS_MAX)).setResumeKey(resume);
            ReadResponse page = database().read(request.build());
            for (Row row : page.getRowsList()) {
                printRow(row, out);
            }
            rows += page.getRowsCount();
            if (readAt.getMicros() == 0) {
                readAt = page.getReadTimestamp();
                selector = TransactionSelector.newBuilder()
                        .setSingleUse(TimestampBound.newBuilder().setReadTimestamp(readAt)).build();
            }
            boolean progressed = page.getRowsCount() > 0 || !page.getResumeKey().equals(resume);
            resume = progressed ? page.getResumeKey() : ByteString.EMPTY;
        } while (!resume.isEmpty() && rows < limit && pages <= limit + 16);
        out.println(rows + (rows == 1 ? " row" : " rows") + ", read at " + ShellText.timestamp(readAt));
        if (!resume.isEmpty()) {
            out.println("(limit reached; more from " + ShellText.show(resume) + ": scan " + ShellText.show(resume)
                    + (range.getEnd().isEmpty() ? "" : " " + ShellText.show(range.getEnd())) + ")");
        }
    }

    private void status(PrintStream out) {
        section(out, "nodes", () -> StatusView.nodes(admin().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList()));
        section(out, "ranges", () -> StatusView.ranges(admin().listRanges(ListRangesRequest.getDefaultInstance()).getRangesList()));
        section(out, "groups", () -> StatusView.groups(admin().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()));
    }

    /** Prints one status table, or its error: one failing call does not hide the others. */
    private void section(PrintStream out, String title, Supplier<List<String>> table) {
        out.println(title);
        try {
            table.get().forEach(out::println);
        } catch (StatusRuntimeException e) {
            out.println("  " + describe(e, false));
        }
    }

    private static void printRow(Row row, PrintStream out) {
        out.println(ShellText.show(row.getKey()) + " = " + ShellText.show(row.getValue())
                + "  (version " + row.getVersionTs().getMicros() + ")");
    }

    private static void withArgs(List<ByteString> args, int min, int max, String usage, PrintStream out, Runnable action) {
        if (args.size() < min || args.size() > max) {
            out.println("usage: " + usage);
            return;
        }
        action.run();
    }

    private static long parseLimit(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static TransactionSelector strong() {
        return TransactionSelector.newBuilder().setSingleUse(TimestampBound.newBuilder().setStrong(true)).build();
    }

    private DatabaseGrpc.DatabaseBlockingStub database() {
        return database.withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private AdminGrpc.AdminBlockingStub admin() {
        return admin.withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * One line for a failed call: {@code error: CODE: message}, with what the status details say
     * (leader hint, range, limit) and, for an ambiguous commit, that it may have happened.
     */
    static String describe(StatusRuntimeException e, boolean commit) {
        Status status = e.getStatus();
        StringBuilder text = new StringBuilder("error: ").append(status.getCode());
        String message = status.getDescription();
        String cause = status.getCause() == null ? null : status.getCause().getMessage();
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message);
            if (cause != null && !cause.isBlank() && !message.contains(cause)) {
                text.append(" (").append(cause).append(')');
            }
        } else if (cause != null && !cause.isBlank()) {
            text.append(": ").append(cause);
        }
        for (String detail : details(e)) {
            text.append(" [").append(detail).append(']');
        }
        if (commit && (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.DEADLINE_EXCEEDED
                || status.getCode() == Status.Code.CANCELLED)) {
            text.append(" (the outcome is unknown: the write may or may not have committed; read the key to find out)");
        }
        return text.toString();
    }

    private static List<String> details(StatusRuntimeException e) {
        List<String> details = new ArrayList<>();
        com.google.rpc.Status rich = StatusProto.fromThrowable(e);
        if (rich == null) {
            return details;
        }
        for (Any any : rich.getDetailsList()) {
            try {
                if (any.is(LeaderHint.class)) {
                    LeaderHint hint = any.unpack(LeaderHint.class);
                    details.add("group " + hint.getGroupId() + " leader: "
                            + (hint.getLeaderNodeId().isEmpty() ? "unknown" : hint.getLeaderNodeId() + " at " + hint.getLeaderAddress()));
                } else if (any.is(RangeDescriptor.class)) {
                    RangeDescriptor range = any.unpack(RangeDescriptor.class);
                    details.add("range " + range.getRangeId() + " " + StatusView.span(range.getSpan()) + " is in group "
                            + range.getGroupId() + " on " + String.join(",", range.getReplicaNodeIdsList()));
                } else if (any.is(LimitViolation.class)) {
                    LimitViolation limit = any.unpack(LimitViolation.class);
                    details.add("limit " + limit.getLimit() + ": " + limit.getActual() + " > " + limit.getMaximum());
                }
            } catch (InvalidProtocolBufferException ignored) {
                // A detail we cannot decode adds nothing the message does not already say.
            }
        }
        return details;
    }
}
