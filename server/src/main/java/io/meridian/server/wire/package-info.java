/**
 * Conversions between the wire messages ({@code io.meridian.api}) and the storage and groups
 * types the node works with. Pure functions; bad input surfaces as the storage layer's
 * {@code IllegalArgumentException} or {@code LimitExceededException}.
 */
package io.meridian.server.wire;
