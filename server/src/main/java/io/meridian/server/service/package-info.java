/**
 * The gRPC services a node serves: the public {@code Database} and {@code Admin} services and the
 * internal {@code NodeService}. Each handler runs on a virtual thread, checks its request, calls
 * the gateway or the local node operations, and maps every failure through the one
 * {@link io.meridian.server.status.StatusMapper}.
 */
package io.meridian.server.service;
