package io.meridian.chaos.net;

import io.meridian.server.local.NodeSpec;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The network between a local cluster's nodes, under the harness's control: each node has a
 * host name of its own, resolved through a hosts file of its own, and cuts between nodes can be
 * made and healed while they run. Two modes: {@link ProxiedNetwork} (a fault-injecting proxy on
 * loopback, no root needed) and {@link NamespaceNetwork} (a network namespace per node, root
 * only). Clients in the harness's JVM always reach every node: only node-to-node traffic is cut.
 */
public interface NodeNetwork extends AutoCloseable {

    /** The mode's name, said in reports: {@code proxy} or {@code namespaces}. */
    String mode();

    /** The host name node {@code nodeId} listens on and is reached by. */
    String host(String nodeId);

    /** The JVM flags node {@code nodeId} needs (its hosts file). */
    List<String> jvmFlags(String nodeId);

    /** What to run node {@code nodeId}'s command under (e.g. {@code ip netns exec ...}); empty for none. */
    List<String> launchPrefix(String nodeId);

    /** Readies the network for the nodes, their ports known, before any of them starts. */
    void open(List<NodeSpec> nodes);

    /** The nodes, in the order that numbers them. */
    List<String> nodeIds();

    /** Cuts every link between {@code side} and the other nodes, both ways. */
    default void partition(Collection<String> side) {
        Set<String> inside = Set.copyOf(side);
        for (String node : inside) {
            if (!nodeIds().contains(node)) {
                throw new IllegalArgumentException("unknown node " + node + " (nodes: " + nodeIds() + ")");
            }
        }
        for (String a : inside) {
            for (String b : nodeIds()) {
                if (!inside.contains(b)) {
                    cut(a, b);
                    cut(b, a);
                }
            }
        }
    }

    /** Cuts what {@code from} sends to {@code to}, and only that. */
    void cut(String from, String to);

    /** Ends every cut. */
    void heal();

    /** Ends every cut and takes the network down. */
    @Override
    void close();
}
