package io.meridian.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The load generator's command line, parsed and checked.
 *
 * @param workload  what each client does
 * @param target    {@code meridian} or {@code etcd}
 * @param endpoints where the store listens, {@code host:port} each; empty with {@code local}
 * @param local     when present, a fresh local Meridian cluster of this many nodes is started for the run
 * @param groups    how many key prefixes the records are spread over ({@code g00/} ...), and with
 *                  {@code local} how many Raft groups serve them
 * @param epsilon   with {@code local}: the nodes' TrueTime uncertainty flag, e.g. {@code 1ms}
 * @param clients   concurrent clients, one thread each
 * @param warmup    how long the clients run before anything is measured
 * @param duration  how long they are measured
 * @param records   records loaded first (and accounts, for bank)
 * @param valueSize bytes per value
 * @param load      whether to load the records first
 * @param json      where to write the results as JSON, if anywhere
 * @param seed      the clients' random seed
 */
record LoadOptions(Workload workload, String target, List<String> endpoints, Optional<Integer> local, int groups,
        Optional<String> epsilon, int clients, Duration warmup, Duration duration, long records, int valueSize,
        boolean load, Optional<Path> json, long seed) {

    static final String USAGE = "usage: bin/meridian bench --workload " + String.join("|", Workload.NAMES)
            + " [--clients 16] [--duration 30s] [--warmup 10s] [--records 10000] [--value-size 100]\n"
            + "                       (--endpoints host:port,... | --local 3 [--epsilon 1ms]) [--groups 1]\n"
            + "                       [--target meridian|etcd] [--no-load] [--json FILE] [--seed N]";

    /** The largest value accepted, in bytes. */
    static final int VALUE_SIZE_MAX = 1 << 20;

    /** The largest number of clients, groups or local nodes accepted. */
    static final int COUNT_MAX = 4_096;

    static LoadOptions parse(String... args) {
        Workload workload = null;
        String target = "meridian";
        List<String> endpoints = List.of();
        Optional<Integer> local = Optional.empty();
        int groups = 1;
        Optional<String> epsilon = Optional.empty();
        int clients = 16;
        Duration warmup = Duration.ofSeconds(10);
        Duration duration = Duration.ofSeconds(30);
        long records = 10_000;
        int valueSize = 100;
        boolean load = true;
        Optional<Path> json = Optional.empty();
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-load")) {
                load = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--workload" -> workload = Workload.named(value);
                case "--target" -> {
                    if (!value.equals("meridian") && !value.equals("etcd")) {
                        throw new IllegalArgumentException("--target must be meridian or etcd: " + value);
                    }
                    target = value;
                }
                case "--endpoints" -> endpoints = Arrays.stream(value.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                case "--local" -> local = Optional.of(count(value, "--local"));
                case "--groups" -> {
                    groups = count(value, "--groups");
                    if (groups > Keys.GROUPS_MAX) {
                        throw new IllegalArgumentException("--groups is at most " + Keys.GROUPS_MAX + ": " + value);
                    }
                }
                case "--epsilon" -> epsilon = Optional.of(value);
                case "--clients" -> clients = count(value, "--clients");
                case "--warmup" -> warmup = duration(value, "--warmup", true);
                case "--duration" -> duration = duration(value, "--duration", false);
                case "--records" -> records = positiveLong(value, "--records");
                case "--value-size" -> {
                    long bytes = positiveLong(value, "--value-size");
                    if (bytes > VALUE_SIZE_MAX) {
                        throw new IllegalArgumentException("--value-size is at most " + VALUE_SIZE_MAX + " bytes: "
                                + value);
                    }
                    valueSize = (int) bytes;
                }
                case "--json" -> json = Optional.of(Path.of(value));
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (workload == null) {
            throw new IllegalArgumentException("--workload is required");
        }
        if (local.isPresent() == !endpoints.isEmpty()) {
            throw new IllegalArgumentException("give either --endpoints or --local");
        }
        if (local.isPresent() && !target.equals("meridian")) {
            throw new IllegalArgumentException("--local starts Meridian nodes; --target etcd needs --endpoints");
        }
        if (epsilon.isPresent() && local.isEmpty()) {
            throw new IllegalArgumentException("--epsilon is a flag of the nodes --local starts");
        }
        if (workload.name().equals("bank") && records < 2) {
            throw new IllegalArgumentException("bank needs at least 2 accounts (--records)");
        }
        return new LoadOptions(workload, target, endpoints, local, groups, epsilon, clients, warmup, duration,
                records, valueSize, load, json, seed);
    }

    private static int count(String value, String option) {
        long n = positiveLong(value, option);
        if (n > COUNT_MAX) {
            throw new IllegalArgumentException(option + " is at most " + COUNT_MAX + ": " + value);
        }
        return (int) n;
    }

    private static long positiveLong(String value, String option) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number: " + value);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive: " + value);
        }
        return n;
    }

    /** {@code 30s}, {@code 2m} or {@code 500ms}. */
    static Duration duration(String value, String option, boolean zeroAllowed) {
        try {
            Duration d;
            if (value.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                throw new NumberFormatException();
            }
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw new IllegalArgumentException(option + " must be " + (zeroAllowed ? "zero or more" : "positive")
                        + ": " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a duration such as 500ms, 30s or 2m: " + value);
        }
    }
}
