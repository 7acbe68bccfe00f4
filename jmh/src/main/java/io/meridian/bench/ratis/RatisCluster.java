package io.meridian.bench.ratis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Driver side of a benchmark cluster: {@code n} {@link BareRatisServer} JVMs on 127.0.0.1, each
 * started from the same {@code java} binary and class path as this JVM, logs and Raft storage in
 * a fresh temporary directory. {@link #close()} asks them to quit, then kills what is left
 * ({@code destroyForcibly}); a shutdown hook does the same if the driver dies first, and each
 * server also exits by itself when its standard input (a pipe from this JVM) closes.
 */
final class RatisCluster implements AutoCloseable {

    private final Path baseDir;
    private final boolean keepDir;
    private final List<RaftPeer> peers;
    private final List<Process> processes = new ArrayList<>();
    private final List<Writer> commands = new ArrayList<>();
    private final List<BlockingQueue<String>> replies = new ArrayList<>();
    private final Thread killer;
    private final PrintStream log;
    private int groups;
    private boolean closed;

    private RatisCluster(Path baseDir, boolean keepDir, List<RaftPeer> peers, PrintStream log) {
        this.baseDir = baseDir;
        this.keepDir = keepDir;
        this.peers = peers;
        this.log = log;
        this.killer = new Thread(this::destroyAll, "bench-cluster-kill");
    }

    /**
     * Starts {@code n} servers hosting {@code groups} groups each and waits until every one has
     * reported ready (its groups added and its gRPC server listening).
     */
    static RatisCluster start(int n, int groups, RatisProfile profile, List<String> extraJvmArgs,
                              boolean keepDir, Duration readyTimeout, PrintStream log) throws IOException {
        Path base = Files.createTempDirectory("meridian-ratis-bench-");
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(RaftPeer.newBuilder().setId("n" + i).setAddress("127.0.0.1:" + freePort()).build());
        }
        RatisCluster cluster = new RatisCluster(base, keepDir, peers, log);
        cluster.groups = groups;
        Runtime.getRuntime().addShutdownHook(cluster.killer);
        boolean ok = false;
        try {
            StringBuilder peerSpec = new StringBuilder();
            for (RaftPeer p : peers) {
                peerSpec.append(peerSpec.length() == 0 ? "" : ",").append(p.getId()).append('=').append(p.getAddress());
            }
            for (int i = 0; i < n; i++) {
                cluster.launch(i, peerSpec.toString(), groups, profile, extraJvmArgs);
            }
            for (int i = 0; i < n; i++) {
                cluster.expect(i, "@@READY", readyTimeout);
            }
            ok = true;
            return cluster;
        } finally {
            if (!ok) {
                cluster.dumpLogs();
                cluster.close();
            }
        }
    }

    private void launch(int i, String peerSpec, int groupCount, RatisProfile profile, List<String> extraJvmArgs)
            throws IOException {
        String id = peers.get(i).getId().toString();
        Path dir = Files.createDirectories(baseDir.resolve(id));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(inheritedJvmFlags());
        cmd.add("-Dchronicle.analytics.disable=true");
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BareRatisServer.class.getName());
        cmd.addAll(List.of("--id", id, "--peers", peerSpec, "--groups", Integer.toString(groupCount),
                "--dir", dir.resolve("raft").toString()));
        cmd.addAll(profile.toArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.to(baseDir.resolve(id + ".log").toFile()));
        Process p = pb.start();
        processes.add(p);
        commands.add(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        replies.add(q);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("@@")) {
                        q.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            q.add("@@EOF");
        }, "bench-" + id + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The flags this JVM was started with that a server JVM needs too (module opens/exports,
     * native access, the flags that let JDK 21–23 ignore JDK 24+ options): never agents,
     * debuggers or heap sizes.
     */
    private static List<String> inheritedJvmFlags() {
        List<String> out = new ArrayList<>();
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            boolean twoPart = a.equals("--add-opens") || a.equals("--add-exports");
            if (twoPart && i + 1 < in.size()) {
                out.add(a);
                out.add(in.get(++i));
            } else if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=")
                    || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Waits for a control line starting with {@code prefix} from server {@code i}. */
    private String expect(int i, String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : replies.get(i).poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("server n" + i + ": no " + prefix + " within " + timeout);
                } else if (line.startsWith("@@EOF")) {
                    throw new IOException("server n" + i + " exited (" + exitInfo(i) + ") before " + prefix
                            + "; its log: " + baseDir.resolve("n" + i + ".log"));
                } else if (line.startsWith("@@ERROR")) {
                    throw new IOException("server n" + i + ": " + line);
                } else if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + prefix, e);
        }
    }

    private String exitInfo(int i) {
        Process p = processes.get(i);
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? "exit code " + p.exitValue() : "still alive";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void send(int i, String command) throws IOException {
        Writer w = commands.get(i);
        w.write(command);
        w.write('\n');
        w.flush();
    }

    /** Server {@code i}'s self-report (threads, heap, direct memory, groups, leaders), as JSON. */
    String stats(int i) throws IOException {
        send(i, "stats");
        return expect(i, "@@STATS", Duration.ofSeconds(30));
    }

    /** Grows every server to {@code target} groups. */
    void growTo(int target, Duration timeout) throws IOException {
        for (int i = 0; i < processes.size(); i++) {
            send(i, "groups " + target);
        }
        for (int i = 0; i < processes.size(); i++) {
            expect(i, "@@GROUPS", timeout);
        }
        groups = Math.max(groups, target);
    }

    /** Polls the servers until every group has a leader; returns how long that took. */
    Duration awaitLeaders(Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            int leaders = 0;
            for (int i = 0; i < processes.size(); i++) {
                leaders += Json.intField(stats(i), "leaders");
            }
            if (leaders >= groups) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + leaders + " of " + groups + " groups have a leader after " + timeout);
            }
            sleep(Duration.ofMillis(250));
        }
    }

    int size() {
        return processes.size();
    }

    long pid(int i) {
        return processes.get(i).pid();
    }

    /** The server JVMs' pids and this JVM's (the client), for {@link ProcStat.Window}. */
    long[] pidsWithSelf() {
        long[] out = new long[processes.size() + 1];
        for (int i = 0; i < processes.size(); i++) {
            out[i] = processes.get(i).pid();
        }
        out[processes.size()] = ProcessHandle.current().pid();
        return out;
    }

    RaftGroup group(int i) {
        return RaftGroup.valueOf(BareRatisServer.groupId(i), peers);
    }

    /**
     * A client of group {@code g} with this profile's properties. Each request is retried at most
     * {@code retries} times (100 ms apart) so a dead cluster fails the run instead of hanging it.
     */
    RaftClient newClient(int g, RatisProfile profile, int retries) {
        RaftProperties props = profile.toRaftProperties();
        return RaftClient.newBuilder()
                .setProperties(props)
                .setParameters(new Parameters())
                .setRaftGroup(group(g))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(retries,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /** Prints the last lines of every server's log (after a failure). */
    void dumpLogs() {
        for (int i = 0; i < peers.size(); i++) {
            Path f = baseDir.resolve("n" + i + ".log");
            if (!Files.exists(f)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                log.println("---- last lines of " + f + " ----");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(log::println);
            } catch (IOException | RuntimeException e) {
                log.println("(cannot read " + f + ": " + e + ")");
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < processes.size(); i++) {
            try {
                send(i, "quit");
                commands.get(i).close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Process p : processes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        if (!keepDir) {
            deleteRecursively(baseDir);
        } else {
            log.println("kept " + baseDir);
        }
    }

    private void destroyAll() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
