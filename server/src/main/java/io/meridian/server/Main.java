package io.meridian.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code meridian} entry point that {@code bin/meridian} runs. Commands: {@code tour} (the
 * default) walks through what exists today in a temporary folder it removes afterwards.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs one command and exits with 0 on success, 2 on a usage error.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "tour" : args[0];
        switch (command) {
            case "tour" -> runTour();
            default -> {
                System.err.println("meridian: unknown command '" + command + "' (commands: tour)");
                System.exit(2);
            }
        }
    }

    private static void runTour() throws Exception {
        Path dir = Files.createTempDirectory("meridian-tour-");
        try {
            new Tour(System.out).run(dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
