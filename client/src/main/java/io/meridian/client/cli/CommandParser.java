package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import io.meridian.client.Timestamp;
import io.meridian.client.TimestampBound;
import io.meridian.client.cli.CommandGrammar.Verb;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the words of one statement into a {@link Command}, or explains in one line why it
 * cannot: an unknown command, or arguments that do not fit (with the command's usage line).
 * The grammar is {@link CommandGrammar}'s; keywords are bare words, so a quoted word is always
 * a key or value. Stateless.
 */
final class CommandParser {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(us|µs|ms|s|m|h)");

    private CommandParser() {
    }

    /**
     * Parses one statement.
     *
     * @param words the statement's words, at least one
     * @return the command
     * @throws ShellSyntaxException if there is no such command or its arguments do not fit
     */
    static Command parse(List<Word> words) throws ShellSyntaxException {
        Word first = words.get(0);
        Verb verb = CommandGrammar.verb(first.keyword())
                .orElseThrow(() -> new ShellSyntaxException("unknown command '" + first.source() + "' (try help)"));
        Arguments args = new Arguments(verb, words.subList(1, words.size()));
        Command command = switch (verb) {
            case GET -> new Command.Get(args.key(), args.optionalBound());
            case SCAN -> scan(args);
            case PUT -> new Command.Put(args.key(), args.key());
            case DELETE -> new Command.Delete(args.key());
            case DELETE_RANGE -> deleteRange(args);
            case BEGIN -> begin(args);
            case COMMIT -> new Command.Commit();
            case ROLLBACK -> new Command.Rollback();
            case STATUS -> new Command.Status();
            case RANGES -> new Command.Ranges();
            case TIMING -> timing(args);
            case HELP -> new Command.Help();
            case QUIT -> new Command.Quit();
        };
        args.requireEnd();
        return command;
    }

    private static Command scan(Arguments args) throws ShellSyntaxException {
        ByteString[] keys = new ByteString[2];
        int keyCount = 0;
        Optional<Integer> limit = Optional.empty();
        boolean reverse = false;
        Optional<TimestampBound> bound = Optional.empty();
        while (args.hasNext()) {
            Word word = args.peek();
            if (word.is("limit") && limit.isEmpty()) {
                args.next();
                limit = Optional.of(args.limit());
            } else if (word.is("reverse") && !reverse) {
                args.next();
                reverse = true;
            } else if (CommandGrammar.BOUND_KEYWORDS.contains(word.keyword()) && bound.isEmpty()) {
                bound = args.optionalBound();
            } else if (keyCount < 2 && !CommandGrammar.isReservedWord(word.keyword())) {
                keys[keyCount++] = args.next().bytes();
            } else {
                throw args.usage();
            }
        }
        ByteString start = keyCount > 0 ? keys[0] : ByteString.EMPTY;
        ByteString end = keyCount > 1 ? keys[1] : ByteString.EMPTY;
        requireOrdered(start, end);
        return new Command.Scan(start, end, limit.orElse(CommandGrammar.SCAN_LIMIT_DEFAULT), reverse, bound);
    }

    private static Command deleteRange(Arguments args) throws ShellSyntaxException {
        ByteString start = args.key();
        ByteString end = args.key();
        requireOrdered(start, end);
        return new Command.DeleteRange(start, end);
    }

    private static Command begin(Arguments args) throws ShellSyntaxException {
        if (!args.hasNext()) {
            return new Command.BeginReadWrite();
        }
        Word mode = args.next();
        if (mode.is("read-write")) {
            return new Command.BeginReadWrite();
        }
        if (mode.is("read-only")) {
            return new Command.BeginReadOnly(args.optionalBound().orElse(TimestampBound.strong()));
        }
        throw args.usage();
    }

    private static Command timing(Arguments args) throws ShellSyntaxException {
        if (!args.hasNext()) {
            return new Command.Timing(Optional.empty());
        }
        Word setting = args.next();
        if (setting.is("on") || setting.is("off")) {
            return new Command.Timing(Optional.of(setting.is("on")));
        }
        throw args.usage();
    }

    /** Refuses a range whose end is not after its start (an empty end is the end of the keyspace). */
    private static void requireOrdered(ByteString start, ByteString end) throws ShellSyntaxException {
        if (!end.isEmpty() && ByteString.unsignedLexicographicalComparator().compare(start, end) >= 0) {
            throw new ShellSyntaxException("the range is empty: its end " + ShellText.show(end)
                    + " is not after its start " + ShellText.show(start) + " (\"\" as the end means the end of the keyspace)");
        }
    }

    /**
     * Parses a timestamp: microseconds since the epoch, or an ISO-8601 instant.
     *
     * @param text what was typed
     * @return the timestamp
     * @throws ShellSyntaxException if it is neither
     */
    static Timestamp timestamp(String text) throws ShellSyntaxException {
        long micros;
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                micros = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw badTimestamp(text);
            }
        } else {
            try {
                Instant instant = Instant.parse(text);
                micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw badTimestamp(text);
            }
        }
        if (micros <= 0) {
            throw badTimestamp(text);
        }
        return Timestamp.ofMicros(micros);
    }

    private static ShellSyntaxException badTimestamp(String text) {
        return new ShellSyntaxException("bad timestamp '" + text
                + "': give microseconds since the epoch (1767225600000000) or an instant (2026-01-01T00:00:00Z)");
    }

    /**
     * Parses a duration: a whole number and one of the units {@code us ms s m h}.
     *
     * @param text what was typed
     * @return the duration
     * @throws ShellSyntaxException if it is not one
     */
    static Duration duration(String text) throws ShellSyntaxException {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new ShellSyntaxException("bad duration '" + text + "': give a whole number and a unit: 250us, 500ms, 10s, 2m, 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us", "µs" -> Duration.ofNanos(amount * 1_000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The arguments of one command, consumed from the left; every error names the command's usage. */
    private static final class Arguments {
        private final Verb verb;
        private final List<Word> words;
        private int next;

        Arguments(Verb verb, List<Word> words) {
            this.verb = verb;
            this.words = words;
        }

        boolean hasNext() {
            return next < words.size();
        }

        Word peek() {
            return words.get(next);
        }

        Word next() throws ShellSyntaxException {
            if (!hasNext()) {
                throw usage();
            }
            return words.get(next++);
        }

        /** The next word as a key or value: any word at all. */
        ByteString key() throws ShellSyntaxException {
            return next().bytes();
        }

        /** The word after {@code limit}. */
        int limit() throws ShellSyntaxException {
            Word word = next();
            try {
                int limit = word.bare() ? Integer.parseInt(word.source()) : 0;
                if (limit > 0) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // Falls through to the message below, which says what a limit is.
            }
            throw new ShellSyntaxException("bad limit '" + word.source() + "': a whole number of rows, at least 1");
        }

        /** A bound, if the next word starts one; nothing otherwise. */
        Optional<TimestampBound> optionalBound() throws ShellSyntaxException {
            if (!hasNext() || !CommandGrammar.BOUND_KEYWORDS.contains(peek().keyword())) {
                return Optional.empty();
            }
            String keyword = next().keyword();
            return Optional.of(switch (keyword) {
                case "strong" -> TimestampBound.strong();
                case "at" -> TimestampBound.readTimestamp(timestamp(next().source()));
                case "min" -> TimestampBound.minReadTimestamp(timestamp(next().source()));
                case "stale" -> TimestampBound.exactStaleness(duration(next().source()));
                default -> TimestampBound.maxStaleness(duration(next().source()));
            });
        }

        void requireEnd() throws ShellSyntaxException {
            if (hasNext()) {
                throw usage();
            }
        }

        ShellSyntaxException usage() {
            return new ShellSyntaxException("usage: " + verb.usage());
        }
    }
}
