package io.meridian.server.local;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line that starts one node process:
 * {@code <java> <jvm flags> -cp <class path> <main class> node --id ... [node flags]}.
 *
 * <p>By default ({@link #fromCurrentJvm()}) a node runs on the same {@code java} binary as the
 * current JVM, with the current JVM's flags that a node needs (module opens and exports, native
 * access, {@code -Dchronicle.*}: what {@code MERIDIAN_JVM_FLAGS} in {@code bin/meridian-env} and
 * {@code meridian.jvm.flags} in the parent pom set) and the current {@code java.class.path}.
 *
 * @param javaBinary the {@code java} executable
 * @param jvmFlags   flags before {@code -cp}
 * @param classPath  the class path ({@code File.pathSeparator}-separated)
 * @param mainClass  the class whose {@code main} takes {@code node <flags>}
 */
record NodeCommand(String javaBinary, List<String> jvmFlags, String classPath, String mainClass) {

    /** The node process's entry point. */
    static final String NODE_MAIN_CLASS = "io.meridian.server.Main";

    /** Prefixes of the JVM input arguments a node inherits from the current JVM. */
    private static final List<String> INHERITED_FLAG_PREFIXES = List.of(
            "--add-opens", "--add-exports", "--add-reads", "--enable-native-access",
            "--illegal-native-access", "--sun-misc-unsafe-memory-access", "-XX:+IgnoreUnrecognizedVMOptions",
            "-Dchronicle.");

    NodeCommand {
        Objects.requireNonNull(javaBinary, "javaBinary");
        jvmFlags = List.copyOf(jvmFlags);
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(mainClass, "mainClass");
    }

    /**
     * The current JVM's binary, relevant flags and class path, running {@link #NODE_MAIN_CLASS}.
     *
     * @return the command template
     */
    static NodeCommand fromCurrentJvm() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> flags = inheritedFlags(ManagementFactory.getRuntimeMXBean().getInputArguments());
        return new NodeCommand(java, flags, absoluteClassPath(System.getProperty("java.class.path", "")), NODE_MAIN_CLASS);
    }

    /**
     * {@code classPath} with every entry made absolute: nodes run in their own working
     * directory, where a relative entry such as {@code jmh/target/benchmarks.jar} would not resolve.
     */
    static String absoluteClassPath(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> java.nio.file.Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * The arguments among a JVM's input arguments that a node process needs too, in order.
     *
     * @param inputArguments what {@code RuntimeMXBean.getInputArguments()} returned
     * @return the flags to pass on
     */
    static List<String> inheritedFlags(List<String> inputArguments) {
        List<String> kept = new ArrayList<>();
        for (String argument : inputArguments) {
            if (INHERITED_FLAG_PREFIXES.stream().anyMatch(argument::startsWith) && !kept.contains(argument)) {
                kept.add(argument);
            }
        }
        return kept;
    }

    /**
     * This template with more JVM flags (after the inherited ones, so they win where the JVM
     * lets the last occurrence win, as with {@code -Xmx}).
     *
     * @param more the extra flags
     * @return a new template
     */
    NodeCommand withMoreJvmFlags(List<String> more) {
        List<String> all = new ArrayList<>(jvmFlags);
        all.addAll(more);
        return new NodeCommand(javaBinary, all, classPath, mainClass);
    }

    /**
     * The full command line of one node.
     *
     * @param node      the node
     * @param layout    the cluster (for {@code --initial-members})
     * @param dataDir   the node's data directory
     * @param nodeFlags extra node flags, appended last (e.g. {@code --epsilon 0ms})
     * @return the command, ready for {@link ProcessBuilder}
     */
    List<String> commandFor(NodeSpec node, ClusterLayout layout, Path dataDir, List<String> nodeFlags) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.addAll(jvmFlags);
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        command.add(mainClass);
        command.add("node");
        command.addAll(List.of("--id", node.id(), "--listen", node.clientAddress(), "--raft", node.raftAddress(),
                "--data", dataDir.toAbsolutePath().toString(), "--region", LocalCluster.REGION, "--zone", node.zone()));
        if (node.joined()) {
            command.addAll(List.of("--join", node.joinAddress()));
        } else {
            command.addAll(List.of("--initial-members", layout.initialMembers()));
        }
        command.addAll(nodeFlags);
        return command;
    }
}
