package io.meridian.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The architecture rules of DESIGN.md and STYLE.md that a source scan can check: protocol code
 * reads no real time and starts no threads outside adapter packages; Ratis and LMDB types stay
 * inside their adapter packages; lower modules never import higher ones; every package has a
 * {@code package-info.java}.
 */
final class SourceRules {

    /** Modules whose main code is protocol code, run under the simulator as well as for real. */
    static final List<String> PROTOCOL_MODULES = List.of("truetime", "storage", "paxos-groups", "txn");

    /** Packages (last segment) that may touch real time, threads and third-party engines. */
    private static final Pattern ADAPTER_PACKAGE = Pattern.compile("^package io\\.meridian\\.[\\w.]*\\.(system|ratis|lmdb|grpc);", Pattern.MULTILINE);

    /**
     * What protocol code must not touch: real time, sleeping, threads and executors, global
     * randomness, and the CompletableFuture helpers that hide a real-time thread.
     */
    private static final Pattern REAL_TIME_OR_THREADS = Pattern.compile(String.join("|",
            "System\\.(currentTimeMillis|nanoTime)\\b", "Instant\\.now\\b", "LocalDateTime\\.now\\b",
            "Clock\\.system", "Thread\\.(sleep|ofPlatform|ofVirtual)\\b", "new Thread\\b", "\\bExecutors\\b",
            "ForkJoinPool", "new Timer\\b", "\\b(supplyAsync|runAsync|orTimeout|completeOnTimeout|delayedExecutor)\\b",
            "Math\\.random\\b", "new Random\\b", "ThreadLocalRandom", "SecureRandom"));

    private static final Pattern LMDB_IMPORT = Pattern.compile("^import org\\.lmdbjava\\.", Pattern.MULTILINE);
    private static final Pattern RATIS_IMPORT = Pattern.compile("^import org\\.apache\\.ratis\\.", Pattern.MULTILINE);

    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** Module folder → Meridian packages it must never import (higher rows of DESIGN.md's table). */
    private static final List<ModuleRule> LAYERS = List.of(
            new ModuleRule("truetime", "io.meridian.(storage|groups|txn|server|client|chaos|bench)"),
            new ModuleRule("storage", "io.meridian.(groups|txn|server|client|chaos|bench)"),
            new ModuleRule("paxos-groups", "io.meridian.(txn|server|client|chaos|bench)"),
            new ModuleRule("txn", "io.meridian.(server|client|chaos|bench)"),
            new ModuleRule("client", "io.meridian.(truetime|storage|groups|txn|server|chaos|bench)"));

    private record ModuleRule(String module, String forbiddenPackages) {
        Pattern importPattern() {
            return Pattern.compile("^import (static )?" + forbiddenPackages.replace(".", "\\.") + "\\.", Pattern.MULTILINE);
        }
    }

    private SourceRules() {
    }

    /** A rule broken at one file. */
    record Violation(Path file, String rule) {
        @Override
        public String toString() {
            return file + ": " + rule;
        }
    }

    /** Every violation in the repository whose root is {@code root}. */
    static List<Violation> scan(Path root) {
        List<Violation> found = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            found.addAll(check(root.relativize(file), read(file)));
        }
        found.addAll(missingPackageInfo(root));
        return found;
    }

    /** The violations in one source file, given its path relative to the repository root. */
    static List<Violation> check(Path relative, String source) {
        List<Violation> found = new ArrayList<>();
        String module = relative.getName(0).toString();
        boolean main = relative.toString().contains("/src/main/java/");
        boolean adapter = ADAPTER_PACKAGE.matcher(source).find();
        if (main && PROTOCOL_MODULES.contains(module) && !adapter) {
            var matcher = REAL_TIME_OR_THREADS.matcher(COMMENTS.matcher(source).replaceAll(" "));
            if (matcher.find()) {
                found.add(new Violation(relative, "protocol code uses real time or threads (" + matcher.group()
                        + "): take a Clock/Scheduler, or move it to a *.system, *.grpc, *.ratis or *.lmdb package"));
            }
        }
        if (LMDB_IMPORT.matcher(source).find() && !source.contains("package io.meridian.storage.lmdb;")) {
            found.add(new Violation(relative, "LMDB types outside io.meridian.storage.lmdb"));
        }
        // The replication floor benchmark measures bare Ratis, so it is the one other place Ratis may appear.
        boolean ratisHome = source.contains("package io.meridian.groups.ratis;")
                || (module.equals("jmh") && source.contains("package io.meridian.bench.ratis;"));
        if (RATIS_IMPORT.matcher(source).find() && !ratisHome) {
            found.add(new Violation(relative, "Ratis types outside io.meridian.groups.ratis"));
        }
        if (main) {
            for (ModuleRule rule : LAYERS) {
                if (rule.module().equals(module) && rule.importPattern().matcher(source).find()) {
                    found.add(new Violation(relative, module + " imports a higher layer (" + rule.forbiddenPackages() + ")"));
                }
            }
        }
        return found;
    }

    private static List<Violation> missingPackageInfo(Path root) {
        List<Violation> found = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            if (!file.toString().contains("/src/main/java/")) {
                continue;
            }
            Path packageInfo = file.resolveSibling("package-info.java");
            if (!Files.exists(packageInfo)) {
                found.add(new Violation(root.relativize(file.getParent()), "package without package-info.java"));
            }
        }
        return found.stream().distinct().toList();
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
