/**
 * Outcomes and failures as gRPC statuses. {@link io.meridian.server.status.StatusMapper} is the
 * one class that turns an outcome or exception into a {@code google.rpc.Status} with details
 * ({@code ErrorInfo} naming the reason, {@code LeaderHint}, {@code RangeDescriptor},
 * {@code LimitViolation}); {@link io.meridian.server.status.StatusReader}, its twin, reads such a
 * status from another node back into the exception the gateway acts on.
 *
 * <p>Invariant: an outcome that may or may not have applied (an ambiguous commit) always maps to
 * {@code UNKNOWN}, and nothing in this package turns it into anything retryable.
 */
package io.meridian.server.status;
