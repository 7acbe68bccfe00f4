/**
 * The Meridian node process: configuration, wiring of the modules, the public and internal gRPC
 * services, health and {@code main}. This is one of the places allowed to touch real time and
 * threads.
 *
 * <p>{@link io.meridian.server.Main} runs {@code tour} (a guided tour of the storage and TrueTime
 * layers) or {@code node <flags>} (one cluster node). The node is organised by role:
 * <ul>
 *   <li>{@code config}: flags and config file into a {@code NodeConfig}; the data directory's
 *       identity file;</li>
 *   <li>{@code node}: wiring and lifecycle ({@code MeridianNode}), the one place that builds the
 *       groups layer ({@code GroupsWiring}), the local replicas, bootstrap, registration and
 *       background range maintenance;</li>
 *   <li>{@code routing}: the directory cache, leader cache and links to nodes, and the retry rules
 *       of one group call ({@code GroupCaller});</li>
 *   <li>{@code gateway}: request validation, transactions, read splitting and stitching,
 *       single-group commits;</li>
 *   <li>{@code service}: the gRPC services ({@code Database}, {@code Admin}, {@code NodeService});</li>
 *   <li>{@code status}: the one mapping from outcomes to gRPC statuses and back;</li>
 *   <li>{@code wire}: conversions between wire messages and domain types;</li>
 *   <li>{@code local}: the local multi-process cluster launcher.</li>
 * </ul>
 */
package io.meridian.server;
