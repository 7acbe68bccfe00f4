package io.meridian.server.config;

import io.meridian.groups.NodeId;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link NodeConfig} from {@code node} command-line flags ({@code --name value} or
 * {@code --name=value}) and, with {@code --config <file>}, from a properties file whose keys are
 * the flag names without dashes. A flag given on the command line wins over the file.
 *
 * <p>Stateless and thread-safe. Every problem is a {@link ConfigException} naming the flag.
 */
public final class NodeConfigParser {

    /** The flags {@code meridian node} understands, with a one-line description each. */
    public static final Map<String, String> FLAGS = flags();

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|µs|ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?");

    private NodeConfigParser() {
    }

    private static Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("config", "properties file with the same names as the flags (flags win)");
        flags.put("id", "this node's id: 1 to 64 letters, digits, '-' or '_' (required)");
        flags.put("listen", "host:port of the client gRPC endpoint (required)");
        flags.put("raft", "host:port of the Raft endpoint (required)");
        flags.put("data", "data directory (required)");
        flags.put("region", "region of this node (default " + NodeConfig.DEFAULT_LOCATION + ")");
        flags.put("zone", "zone of this node (default " + NodeConfig.DEFAULT_LOCATION + ")");
        flags.put("cluster", "cluster name (default " + NodeConfig.DEFAULT_CLUSTER + ")");
        flags.put("initial-members", "bootstrap a new cluster: id=clientHost:port/raftHost:port,...");
        flags.put("join", "join an existing cluster through these client endpoints: host:port,...");
        flags.put("epsilon", "fixed TrueTime uncertainty of the system clock, e.g. 1ms (default 1ms)");
        flags.put("max-epsilon", "fence the node above this uncertainty (default 10ms)");
        flags.put("range-split-bytes", "split ranges larger than this, e.g. 64MiB (default 64MiB)");
        flags.put("election-timeout-min", "lower Raft election timeout, with the upper one (default 500ms)");
        flags.put("election-timeout-max", "upper Raft election timeout, with the lower one (default 1000ms)");
        flags.put("clock-offset-file", "fault injection: a file holding microseconds to add to the system clock,"
                + " re-read every 100 ms (tests only)");
        return Map.copyOf(flags);
    }

    /** The usage text: one line per flag. */
    public static String usage() {
        StringBuilder text = new StringBuilder("usage: meridian node --id ID --listen HOST:PORT --raft HOST:PORT"
                + " --data DIR (--initial-members LIST | --join LIST) [flags]\n");
        flags().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(String.format("  --%-22s %s%n", e.getKey(), e.getValue())));
        return text.toString();
    }

    /**
     * Parses the arguments that follow {@code node}.
     *
     * @throws ConfigException naming the flag that is missing, unknown, malformed or in conflict
     */
    public static NodeConfig parse(List<String> args) throws ConfigException {
        Map<String, String> values = readFlags(args);
        String file = values.get("config");
        if (file != null) {
            Map<String, String> merged = readFile(Path.of(file));
            merged.putAll(values);
            values = merged;
        }
        return build(values);
    }

    private static Map<String, String> readFlags(List<String> args) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "': flags look like --name value");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new ConfigException("flag --" + name + " needs a value");
            }
            if (!FLAGS.containsKey(name)) {
                throw new ConfigException("unknown flag --" + name + " (see meridian node --help)");
            }
            if (values.put(name, value) != null) {
                throw new ConfigException("flag --" + name + " is given twice");
            }
        }
        return values;
    }

    private static Map<String, String> readFile(Path file) throws ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!FLAGS.containsKey(name) || name.equals("config")) {
                throw new ConfigException("--config " + file + ": unknown setting '" + name + "'");
            }
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
    }

    private static NodeConfig build(Map<String, String> values) throws ConfigException {
        NodeId id = parseValue(values, "id", NodeId::new);
        HostPort listen = parseValue(values, "listen", HostPort::parse);
        HostPort raft = parseValue(values, "raft", HostPort::parse);
        Path data = parseValue(values, "data", Path::of);
        List<InitialMember> initial = parseList(values, "initial-members", InitialMember::parse);
        List<HostPort> join = parseList(values, "join", HostPort::parse);
        checkMembers(id, listen, raft, initial, join);
        Duration epsilon = optional(values, "epsilon", NodeConfigParser::parseDuration)
                .orElse(Duration.ofMillis(1));
        Duration maxEpsilon = optional(values, "max-epsilon", NodeConfigParser::parseDuration)
                .orElse(Duration.ofMillis(10));
        long splitBytes = optional(values, "range-split-bytes", NodeConfigParser::parseSize)
                .orElse(NodeConfig.DEFAULT_RANGE_SPLIT_BYTES);
        if (splitBytes <= 0) {
            throw new ConfigException("--range-split-bytes must be positive");
        }
        Optional<Duration> electionMin = optional(values, "election-timeout-min", NodeConfigParser::parseDuration);
        Optional<Duration> electionMax = optional(values, "election-timeout-max", NodeConfigParser::parseDuration);
        checkElectionTimeouts(electionMin, electionMax);
        return new NodeConfig(id, listen, raft, data,
                name(values, "region", NodeConfig.DEFAULT_LOCATION), name(values, "zone", NodeConfig.DEFAULT_LOCATION),
                name(values, "cluster", NodeConfig.DEFAULT_CLUSTER), initial, join, epsilon, maxEpsilon,
                splitBytes, electionMin, electionMax, optional(values, "clock-offset-file", Path::of));
    }

    private static void checkMembers(NodeId id, HostPort listen, HostPort raft, List<InitialMember> initial,
            List<HostPort> join) throws ConfigException {
        if (!initial.isEmpty() && !join.isEmpty()) {
            throw new ConfigException("--initial-members and --join exclude each other: bootstrap a new cluster"
                    + " or join an existing one");
        }
        Set<NodeId> ids = new HashSet<>();
        InitialMember self = null;
        for (InitialMember member : initial) {
            if (!ids.add(member.id())) {
                throw new ConfigException("--initial-members lists node " + member.id() + " twice");
            }
            if (member.id().equals(id)) {
                self = member;
            }
        }
        if (!initial.isEmpty() && self == null) {
            throw new ConfigException("--initial-members does not list this node (--id " + id + ")");
        }
        if (self != null && (!self.clientAddress().equals(listen) || !self.raftAddress().equals(raft))) {
            throw new ConfigException("--initial-members gives node " + id + " the addresses " + self.clientAddress()
                    + "/" + self.raftAddress() + " but --listen/--raft say " + listen + "/" + raft);
        }
        if (listen.equals(raft)) {
            throw new ConfigException("--listen and --raft must differ, both are " + listen);
        }
    }

    private static void checkElectionTimeouts(Optional<Duration> min, Optional<Duration> max)
            throws ConfigException {
        if (min.isPresent() != max.isPresent()) {
            throw new ConfigException("--election-timeout-min and --election-timeout-max go together");
        }
        if (min.isPresent() && (min.get().isZero() || min.get().compareTo(max.get()) >= 0)) {
            throw new ConfigException("--election-timeout-min must be positive and below --election-timeout-max");
        }
    }

    /** A value parser that throws {@link IllegalArgumentException} with a sentence. */
    @FunctionalInterface
    private interface ValueParser<T> {
        T parse(String text);
    }

    private static <T> T parseValue(Map<String, String> values, String flag, ValueParser<T> parser)
            throws ConfigException {
        return optional(values, flag, parser)
                .orElseThrow(() -> new ConfigException("flag --" + flag + " is required"));
    }

    private static <T> Optional<T> optional(Map<String, String> values, String flag, ValueParser<T> parser)
            throws ConfigException {
        String text = values.get(flag);
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            throw new ConfigException("flag --" + flag + " must not be empty");
        }
        try {
            return Optional.of(parser.parse(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--" + flag + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<T> parseList(Map<String, String> values, String flag, ValueParser<T> parser)
            throws ConfigException {
        String text = values.get(flag);
        if (text == null) {
            return List.of();
        }
        List<T> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                throw new ConfigException("--" + flag + ": empty entry in '" + text + "'");
            }
            try {
                items.add(parser.parse(item.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--" + flag + ": " + e.getMessage(), e);
            }
        }
        return items;
    }

    private static String name(Map<String, String> values, String flag, String fallback) throws ConfigException {
        String value = values.getOrDefault(flag, fallback).trim();
        if (!value.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException("--" + flag + " '" + value + "' must be 1 to 64 letters, digits, '.', '-' or '_'");
        }
        return value;
    }

    /**
     * Parses a duration: a whole number with a unit {@code ns}, {@code us}, {@code ms}, {@code s},
     * {@code m} or {@code h} ({@code 0} needs none), or ISO-8601 ({@code PT0.5S}).
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    public static Duration parseDuration(String text) {
        String trimmed = text.trim();
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("PT")) {
            try {
                return nonNegative(Duration.parse(trimmed), text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration");
            }
        }
        Matcher m = DURATION.matcher(trimmed);
        if (!m.matches() || (m.group(2) == null && Long.parseLong(m.group(1)) != 0)) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500us, 1ms or 2s");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ns" -> Duration.ofNanos(amount);
            case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return d;
    }

    /**
     * Parses a size in bytes: a whole number with an optional unit {@code B}, {@code KiB},
     * {@code MiB}, {@code GiB}, {@code TiB} (powers of 1024) or {@code KB}, {@code MB},
     * {@code GB}, {@code TB} (powers of 1000); case-insensitive.
     *
     * @throws IllegalArgumentException when the text is not such a size or overflows
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 1048576, 64MiB or 1GB");
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "b" -> 1L;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1L << 40;
        };
        try {
            return Math.multiplyExact(amount, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
