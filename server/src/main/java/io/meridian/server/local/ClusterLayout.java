package io.meridian.server.local;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The nodes of a local cluster, in the order they were created, and their persisted form:
 * {@code <data>/cluster.properties}. An immutable value.
 *
 * <p>The file lists {@code nodes=n1,n2,...} and, per node, {@code <id>.zone}, {@code <id>.listen},
 * {@code <id>.raft} and, for a node that joined later, {@code <id>.join}.
 *
 * @param nodes the nodes, ids unique
 */
public record ClusterLayout(List<NodeSpec> nodes) {

    /** The file name under a cluster's data directory. */
    public static final String FILE_NAME = "cluster.properties";

    /**
     * Copies the list and checks that ids and addresses are unique.
     *
     * @throws IllegalArgumentException on a duplicate id or address
     */
    public ClusterLayout {
        nodes = List.copyOf(nodes);
        Set<String> seen = new HashSet<>();
        for (NodeSpec node : nodes) {
            if (!seen.add("id " + node.id())) {
                throw new IllegalArgumentException("duplicate node id " + node.id());
            }
            if (!seen.add("address " + node.clientAddress()) || !seen.add("address " + node.raftAddress())) {
                throw new IllegalArgumentException("node " + node.id() + " reuses an address: " + node);
            }
        }
    }

    /**
     * Finds a node.
     *
     * @param id the node id
     * @return its spec, or empty
     */
    public Optional<NodeSpec> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * The {@code --initial-members} value every founding member starts with:
     * {@code n1=client/raft,n2=...}, the nodes that did not join later.
     *
     * @return the flag value (empty when no node founded the cluster)
     */
    public String initialMembers() {
        return nodes.stream().filter(n -> !n.joined()).map(NodeSpec::memberEntry).collect(Collectors.joining(","));
    }

    /**
     * This layout with one more node.
     *
     * @param node the new node
     * @return a new layout
     */
    public ClusterLayout with(NodeSpec node) {
        List<NodeSpec> more = new ArrayList<>(nodes);
        more.add(node);
        return new ClusterLayout(more);
    }

    /**
     * The number the next node gets: one more than the highest {@code n<number>} id.
     *
     * @return 1 for an empty layout
     */
    public int nextNodeNumber() {
        int max = 0;
        for (NodeSpec node : nodes) {
            if (node.id().matches("n\\d{1,6}")) {
                max = Math.max(max, Integer.parseInt(node.id().substring(1)));
            }
        }
        return max + 1;
    }

    /**
     * Writes the layout to {@code <dir>/cluster.properties}, replacing the file atomically.
     *
     * @param dir the cluster's data directory (created if missing)
     * @throws IOException if the file cannot be written
     */
    public void store(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# A Meridian local cluster: its nodes, zones and ports. `bin/meridian local` restarts\n")
                .append("# these nodes on these ports; `--fresh` deletes the data directory and starts over.\n");
        text.append("nodes=").append(nodes.stream().map(NodeSpec::id).collect(Collectors.joining(","))).append('\n');
        for (NodeSpec node : nodes) {
            text.append(node.id()).append(".zone=").append(node.zone()).append('\n');
            text.append(node.id()).append(".listen=").append(node.clientAddress()).append('\n');
            text.append(node.id()).append(".raft=").append(node.raftAddress()).append('\n');
            if (node.joined()) {
                text.append(node.id()).append(".join=").append(node.joinAddress()).append('\n');
            }
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads {@code <dir>/cluster.properties}.
     *
     * @param dir the cluster's data directory
     * @return the layout, or empty if the file does not exist
     * @throws IOException if the file cannot be read or is malformed (the message says which entry)
     */
    public static Optional<ClusterLayout> load(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(new StringReader(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed " + file + ": " + e.getMessage(), e);
        }
    }

    private static ClusterLayout parse(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        String ids = properties.getProperty("nodes", "").trim();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no 'nodes' entry");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        for (String id : ids.split(",")) {
            String trimmed = id.trim();
            nodes.add(new NodeSpec(trimmed, required(properties, trimmed + ".zone"),
                    required(properties, trimmed + ".listen"), required(properties, trimmed + ".raft"),
                    properties.getProperty(trimmed + ".join", "").trim()));
        }
        return new ClusterLayout(nodes);
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return value.trim();
    }
}
