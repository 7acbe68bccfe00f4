/**
 * The node process's wiring and lifecycle: {@link io.meridian.server.node.MeridianNode} builds the
 * store, TrueTime, the replication host, the local replicas and the gRPC server from one
 * {@link io.meridian.server.node.NodeEnvironment}, bootstraps or joins the cluster, runs the
 * background range maintenance (directory reconciliation, automatic splits) and shuts down in
 * order. {@link io.meridian.server.node.GroupsWiring} is the one place that constructs the groups
 * layer's implementations.
 *
 * <p>Real time and threads are allowed here (this is the node process, not protocol code):
 * background loops run on virtual threads and the {@code ExecutorScheduler}.
 */
package io.meridian.server.node;
