package io.meridian.bench.ratis;

import io.meridian.server.config.NodeConfigParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser for the drivers in this package: {@code --name value},
 * {@code --name=value} and bare flags ({@code --name}, read as {@code true}). A name may repeat
 * ({@code --prop a=1 --prop b=2}). Unknown names are refused, so a typo never silently runs the
 * defaults for half an hour.
 */
final class Args {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * Parses {@code argv}; every name must be in {@code known} ({@code help} always is).
     *
     * @throws IllegalArgumentException on an unknown name or a stray positional argument
     */
    static Args parse(String[] argv, Set<String> known) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                value = argv[++i];
            } else {
                value = "true";
            }
            if (!known.contains(name) && !name.equals("help")) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            }
            args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return args;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String dflt) {
        List<String> v = values.get(name);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    int integer(String name, int dflt) {
        String v = string(name, null);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    boolean bool(String name, boolean dflt) {
        String v = string(name, null);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("--" + name + ": expected on/off, got '" + v + "'");
        };
    }

    Duration duration(String name, Duration dflt) {
        String v = string(name, null);
        return v == null ? dflt : NodeConfigParser.parseDuration(v);
    }

    /** Comma-separated list, e.g. {@code 1,10,50,100}. */
    List<String> list(String name, String dflt) {
        String v = string(name, dflt);
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** Ratis spells durations with a unit, e.g. {@code 1000ms}. */
    static String ratisDuration(Duration d) {
        return d.toMillis() + "ms";
    }
}
