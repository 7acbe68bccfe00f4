/**
 * Gateway routing: where a key's range lives and which node to ask. A
 * {@link io.meridian.server.routing.RoutingTable} is an immutable view of the meta group's
 * directory; {@link io.meridian.server.routing.MetaCache} keeps the freshest one this node can see;
 * {@link io.meridian.server.routing.LeaderCache} remembers group leaders;
 * {@link io.meridian.server.routing.NodeLinks} gives a {@link io.meridian.server.routing.NodeLink}
 * to any node (in-process for this node, gRPC otherwise); and
 * {@link io.meridian.server.routing.GroupCaller} runs one group operation at the leader or the
 * nearest replica with bounded retries inside the call's deadline.
 *
 * <p>Invariant: a commit whose outcome is unknown is never retried; only failures that say
 * nothing was done (not the leader, lease unavailable, connection refused) are.
 */
package io.meridian.server.routing;
