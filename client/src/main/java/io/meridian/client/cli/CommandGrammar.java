package io.meridian.client.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shell's commands: their names, usage lines, one-line descriptions and keywords. The
 * parser's usage errors, {@code help} and tab completion all read this one table, so they
 * cannot disagree. Stateless.
 */
final class CommandGrammar {

    /** The keywords that introduce a read's timestamp bound. */
    static final List<String> BOUND_KEYWORDS = List.of("strong", "at", "min", "stale", "max-stale");
    /** The rows a {@code scan} prints when no limit is given. */
    static final int SCAN_LIMIT_DEFAULT = 100;

    /** Every command, in the order {@code help} lists them. */
    enum Verb {
        /** Reads one key. */
        GET("get <key> [bound]", "read one key", List.of("get"), BOUND_KEYWORDS),
        /** Reads the keys of a range, in order. */
        SCAN("scan [<start> [<end>]] [limit <n>] [reverse] [bound]",
                "read the keys in [start, end), at most n (default " + SCAN_LIMIT_DEFAULT + ")", List.of("scan"),
                Stream.concat(Stream.of("limit", "reverse"), BOUND_KEYWORDS.stream()).toList()),
        /** Writes one key. */
        PUT("put <key> <value>", "write one key", List.of("put"), List.of()),
        /** Deletes one key. */
        DELETE("delete <key>", "delete one key", List.of("delete"), List.of()),
        /** Deletes the keys of a range. */
        DELETE_RANGE("delete-range <start> <end>", "delete every key in [start, end)", List.of("delete-range"), List.of()),
        /** Starts a transaction. */
        BEGIN("begin [read-write | read-only [bound]]",
                "start a transaction (read-write by default)", List.of("begin"),
                Stream.concat(Stream.of("read-write", "read-only"), BOUND_KEYWORDS.stream()).toList()),
        /** Commits the open transaction. */
        COMMIT("commit", "commit the open transaction and print its timestamp", List.of("commit"), List.of()),
        /** Abandons the open transaction. */
        ROLLBACK("rollback", "abandon the open transaction", List.of("rollback"), List.of()),
        /** Shows nodes, groups and ranges. */
        STATUS("status", "nodes (health, epsilon), groups and ranges with their leaders", List.of("status"), List.of()),
        /** Shows the ranges. */
        RANGES("ranges", "ranges with their group, leader and replicas", List.of("ranges"), List.of()),
        /** Turns printing of each command's elapsed time on or off. */
        TIMING("\\timing [on | off]", "print how long each command takes (toggles without an argument)",
                List.of("\\timing"), List.of("on", "off")),
        /** Prints the command list. */
        HELP("help", "this text", List.of("help", "?", "\\?"), List.of()),
        /** Leaves the shell. */
        QUIT("quit", "leave (exit, \\q and Ctrl-D too); an open transaction is rolled back",
                List.of("quit", "exit", "\\q"), List.of());

        private final String usage;
        private final String description;
        private final List<String> names;
        private final List<String> keywords;

        Verb(String usage, String description, List<String> names, List<String> keywords) {
            this.usage = usage;
            this.description = description;
            this.names = names;
            this.keywords = keywords;
        }

        /** @return the usage line, e.g. {@code put <key> <value>} */
        String usage() {
            return usage;
        }

        /** @return what the command does, in one line */
        String description() {
            return description;
        }

        /** @return every name the command answers to, lower case */
        List<String> names() {
            return names;
        }

        /** @return the keywords the command takes after its name, for completion */
        List<String> keywords() {
            return keywords;
        }
    }

    private static final Set<String> RESERVED_WORDS = Stream.concat(Verb.SCAN.keywords().stream(), Stream.of("read-write", "read-only"))
            .collect(Collectors.toUnmodifiableSet());

    private CommandGrammar() {
    }

    /**
     * The command a name stands for.
     *
     * @param name the first word of a command, lower case
     * @return the command, or empty if there is none of that name
     */
    static Optional<Verb> verb(String name) {
        return Arrays.stream(Verb.values()).filter(v -> v.names().contains(name)).findFirst();
    }

    /**
     * Whether a bare word would be read as a keyword where a key may also stand, so that a key
     * spelled like it must be printed in quotes.
     *
     * @param lowerCase the word, lower case
     * @return true for {@code limit}, {@code reverse}, the bound keywords and the transaction modes
     */
    static boolean isReservedWord(String lowerCase) {
        return RESERVED_WORDS.contains(lowerCase);
    }

    /**
     * Every name of every command, for completing the first word.
     *
     * @return the names, in {@code help} order
     */
    static List<String> commandNames() {
        return Arrays.stream(Verb.values()).flatMap(v -> v.names().stream()).toList();
    }

    /**
     * The text {@code help} prints: every command, then the forms of keys, values, bounds,
     * timestamps and durations.
     *
     * @return the text, several lines
     */
    static String help() {
        int width = Arrays.stream(Verb.values()).mapToInt(v -> v.usage().length()).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder("commands:\n");
        for (Verb verb : Verb.values()) {
            text.append("  ").append(verb.usage()).append(" ".repeat(width - verb.usage().length()))
                    .append(verb.description()).append('\n');
        }
        return text.append("""
                bound: which snapshot a read sees, for single-use reads and begin read-only
                  strong                the latest committed data (the default)
                  at <ts>               exactly at timestamp ts
                  min <ts>              at ts or later, from the nearest replica that has caught up
                  stale <duration>      exactly now minus duration
                  max-stale <duration>  any snapshot no older than now minus duration
                  <ts> is microseconds since the epoch, as printed, or an instant: 2026-01-01T00:00:00Z
                  <duration> is a whole number and a unit: 250us, 500ms, 10s, 2m, 1h
                outside a transaction every command runs on its own: each read at its bound, each write
                committed at once. After begin, reads and writes run in the transaction (a bound is not
                allowed there) until commit or rollback; a read-write transaction's reads lock what they
                read and its writes are buffered until commit.
                keys and values: bare words (user/42), "quoted text" with the escapes \\" \\\\ \\n \\r \\t \\xNN,
                'literal text', or hex 0x00ff; "" is the empty key, which as a scan or delete-range end means
                the end of the keyspace. Quote a key spelled like a keyword ("limit"). Output uses the same
                forms: text when printable UTF-8, hex otherwise. Every read prints the timestamp it read at,
                every commit its commit timestamp.
                Separate several commands on one line with ; and start a comment with #.
                examples:
                  put user/1 "Ada Lovelace"; get user/1
                  scan user/ user0 limit 10 reverse
                  get user/1 stale 10s
                  begin; get acct/a; put acct/a 90; put acct/b 110; commit""").toString();
    }
}
