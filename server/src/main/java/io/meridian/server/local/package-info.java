/**
 * A Meridian cluster on one machine, for development, tests and the chaos harness: the launcher
 * that runs every node as its own JVM ({@link io.meridian.server.local.LocalCluster}), the
 * {@code bin/meridian local} entry point ({@link io.meridian.server.local.LocalMain}), which opens
 * the client module's {@code meridian} shell on the cluster it starts.
 *
 * <p>Invariants: every node process is started by a {@code LocalCluster}, which stops it in
 * {@code close()} or, if its owner's JVM exits first, in a shutdown hook; every wait for a
 * process (to serve, to stop, to die) is bounded; a node's identity, zone and ports live in
 * {@code <data>/cluster.properties}, so a restart reuses them and finds its data again. Nodes
 * print to {@code <data>/<node id>.log}, never to the launcher's terminal.
 *
 * <p>The shell talks to the cluster only through the Java SDK ({@code io.meridian.client}), as
 * any client would.
 */
package io.meridian.server.local;
