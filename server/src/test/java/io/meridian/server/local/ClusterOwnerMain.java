package io.meridian.server.local;

import java.nio.file.Path;

/**
 * A JVM that starts a two-node local cluster of {@link FakeNodeMain}s, prints their pids and
 * exits without closing it: the launcher's test checks that the shutdown hook leaves no node
 * behind.
 */
public final class ClusterOwnerMain {

    private ClusterOwnerMain() {
    }

    /**
     * Starts the cluster and exits.
     *
     * @param args the data directory
     */
    public static void main(String[] args) throws Exception {
        LocalCluster cluster = LocalCluster.builder(Path.of(args[0])).nodes(2)
                .mainClass(FakeNodeMain.class.getName()).jvmFlags(LocalClusterTest.FAST_JVM_FLAGS).build();
        cluster.start();
        for (NodeSpec node : cluster.nodes()) {
            System.out.println("pid " + cluster.pid(node.id()).orElseThrow());
        }
        System.out.flush();
        System.exit(0);
    }
}
