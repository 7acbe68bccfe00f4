/**
 * The network between a local cluster's nodes, made faulty on purpose: {@link
 * io.meridian.chaos.net.ProxiedNetwork} routes node-to-node traffic through the fault-injecting
 * proxy ({@link io.meridian.chaos.proxy}) by giving every node a host name that each node
 * resolves for itself.
 */
package io.meridian.chaos.net;
