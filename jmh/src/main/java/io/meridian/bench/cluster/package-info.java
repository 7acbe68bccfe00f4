/**
 * Whole-cluster benchmarks: real node processes on loopback started with
 * {@code io.meridian.server.local.LocalCluster}, driven through the public gRPC API.
 * Commands and figures are in {@code docs/benchmarks.md}.
 */
package io.meridian.bench.cluster;
