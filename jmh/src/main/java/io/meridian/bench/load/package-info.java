/**
 * The load generator behind {@code bin/meridian bench --workload ...}: YCSB core workloads (A, B,
 * C, E, F), single-key writes and bank transfers, driven by many client threads against Meridian
 * (through the SDK) or etcd (through its gRPC API), with a progress line every second,
 * HdrHistogram percentiles per operation, throughput, the abort rate of transactions and JSON
 * output. Every run is bounded by its duration; {@code --local N} starts and stops a fresh local
 * cluster for it. Figures and commands: {@code docs/benchmarks.md}.
 */
package io.meridian.bench.load;
