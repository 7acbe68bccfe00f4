/**
 * The gateway: what any node does for a client of the public {@code Database} service. It checks
 * requests up front ({@link io.meridian.server.gateway.RequestValidator}), keeps the transactions
 * begun here ({@link io.meridian.server.gateway.TransactionRegistry}), splits reads by range and
 * stitches the answers in key order ({@link io.meridian.server.gateway.ReadGateway}), and sends
 * single-group commits to the group's leader ({@link io.meridian.server.gateway.CommitGateway}).
 *
 * <p>Invariants: nothing is sent anywhere for an invalid request; a read that spans several
 * groups reads one snapshot (one timestamp) in all of them; a commit touching more than one group
 * is refused before it is sent; a commit whose outcome is unknown is reported as such and never
 * retried.
 */
package io.meridian.server.gateway;
