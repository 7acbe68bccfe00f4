/**
 * The time-master protocol over gRPC ({@code meridian.internal.v1.TimeMaster}): the server side
 * ({@link io.meridian.truetime.grpc.TimeMasterService}) and the client a
 * {@link io.meridian.truetime.TimeMasterSource} polls through
 * ({@link io.meridian.truetime.grpc.GrpcTimeMasterClient}).
 *
 * <p>One of the two packages of the module allowed to touch real time, threads and sockets (the
 * other is {@code system}). Channels and servers are owned and closed by the caller. Everything
 * here is thread-safe.
 */
package io.meridian.truetime.grpc;
