package io.meridian.chaos.net;

import io.meridian.server.local.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace per node (root only): node {@code k} runs in namespace
 * {@code meridian-chaos-n<k>} with address {@code 10.201.0.<k>} on a veth whose other end is on
 * the bridge {@code mchaos-br} ({@code 10.201.0.254}) in the harness's namespace, so the harness
 * reaches every node and the nodes reach each other through the bridge. Every node is named
 * {@code n<k>.ns}; each node resolves names through a hosts file of its own, and the harness
 * through {@code chaos/loopback.hosts}, which lists the same addresses. A cut from {@code a} to
 * {@code b} is a blackhole route to {@code b}'s address inside {@code a}'s namespace: the
 * kernel drops what {@code a} sends to {@code b}. Needs only {@code ip} (iproute2), no
 * {@code iptables}. One such network at a time per machine: the names are fixed.
 */
public final class NamespaceNetwork implements NodeNetwork {

    /** The domain of every node's host name in this mode. */
    public static final String DOMAIN = "ns";
    private static final String SUBNET = "10.201.0.";
    private static final String BRIDGE = "mchaos-br";
    private static final long COMMAND_WAIT_SECONDS = 20;

    private final Path hostsDir;
    private final List<String> nodeIds;
    private final Set<String> routes = new HashSet<>();
    private boolean up;

    private NamespaceNetwork(Path hostsDir, List<String> nodeIds) {
        this.hostsDir = hostsDir;
        this.nodeIds = List.copyOf(nodeIds);
    }

    /**
     * Why this mode cannot run here, if it cannot: not root, no {@code ip}, or namespaces refused.
     */
    public static Optional<String> unavailableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
        }
        try {
            run(List.of("ip", "netns", "list"));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("'ip netns' does not work here: " + e.getMessage());
        }
    }

    /**
     * Writes a hosts file per node under {@code dir}; {@link #open} builds the namespaces.
     *
     * @throws IOException if a file cannot be written
     */
    public static NamespaceNetwork prepare(Path dir, List<String> nodeIds) throws IOException {
        if (nodeIds.isEmpty() || nodeIds.size() > 9 || new HashSet<>(nodeIds).size() != nodeIds.size()) {
            throw new IllegalArgumentException("between 1 and 9 distinct nodes: " + nodeIds);
        }
        Files.createDirectories(dir);
        NamespaceNetwork network = new NamespaceNetwork(dir, nodeIds);
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
        for (String node : nodeIds) {
            hosts.append(network.address(node)).append(' ').append(network.host(node)).append('\n');
        }
        for (String node : nodeIds) {
            Files.writeString(network.hostsFile(node), hosts, StandardCharsets.US_ASCII);
        }
        return network;
    }

    @Override
    public String mode() {
        return "namespaces";
    }

    @Override
    public String host(String nodeId) {
        requireNode(nodeId);
        return nodeId + "." + DOMAIN;
    }

    @Override
    public List<String> jvmFlags(String nodeId) {
        requireNode(nodeId);
        return List.of("-Djdk.net.hosts.file=" + hostsFile(nodeId).toAbsolutePath());
    }

    @Override
    public List<String> launchPrefix(String nodeId) {
        return List.of("ip", "netns", "exec", namespace(nodeId));
    }

    /** Creates the bridge and a namespace per node (removing leftovers of an earlier run first). */
    @Override
    public synchronized void open(List<NodeSpec> nodes) {
        takeDown();
        up = true;
        run(List.of("ip", "link", "add", BRIDGE, "type", "bridge"));
        run(List.of("ip", "addr", "add", SUBNET + "254/24", "dev", BRIDGE));
        run(List.of("ip", "link", "set", BRIDGE, "up"));
        for (String node : nodeIds) {
            String ns = namespace(node);
            String outside = "mchaos-" + node;
            run(List.of("ip", "netns", "add", ns));
            run(List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns));
            run(List.of("ip", "link", "set", outside, "master", BRIDGE));
            run(List.of("ip", "link", "set", outside, "up"));
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
            run(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", address(node) + "/24", "dev", "eth0"));
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up"));
        }
    }

    @Override
    public List<String> nodeIds() {
        return nodeIds;
    }

    @Override
    public synchronized void cut(String from, String to) {
        requireNode(from);
        requireNode(to);
        if (routes.add(from + ">" + to)) {
            run(List.of("ip", "netns", "exec", namespace(from), "ip", "route", "add", "blackhole", address(to) + "/32"));
        }
    }

    @Override
    public synchronized void heal() {
        for (String route : new ArrayList<>(routes)) {
            String from = route.substring(0, route.indexOf('>'));
            String to = route.substring(route.indexOf('>') + 1);
            run(List.of("ip", "netns", "exec", namespace(from), "ip", "route", "del", "blackhole", address(to) + "/32"));
            routes.remove(route);
        }
    }

    /** Removes every namespace and the bridge (the nodes must have stopped). */
    @Override
    public synchronized void close() {
        routes.clear();
        if (up) {
            takeDown();
            up = false;
        }
    }

    /** Deletes what this network creates, ignoring what is not there. */
    private void takeDown() {
        for (String node : nodeIds) {
            runQuietly(List.of("ip", "netns", "del", namespace(node)));
            runQuietly(List.of("ip", "link", "del", "mchaos-" + node));
        }
        runQuietly(List.of("ip", "link", "del", BRIDGE));
    }

    private String namespace(String nodeId) {
        requireNode(nodeId);
        return "meridian-chaos-" + nodeId;
    }

    private String address(String nodeId) {
        return SUBNET + (nodeIds.indexOf(nodeId) + 1);
    }

    private Path hostsFile(String nodeId) {
        return hostsDir.resolve(nodeId + ".hosts");
    }

    private void requireNode(String nodeId) {
        if (!nodeIds.contains(Objects.requireNonNull(nodeId, "nodeId"))) {
            throw new IllegalArgumentException("unknown node " + nodeId + " (nodes: " + nodeIds + ")");
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            run(command);
        } catch (RuntimeException ignored) {
            // Not there: nothing to remove.
        }
    }

    /** Runs {@code command}; fails with its output unless it exits 0. */
    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(COMMAND_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
