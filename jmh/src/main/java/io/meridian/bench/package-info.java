/**
 * JMH micro-benchmarks of the hot paths ({@code TrueTime.now()}, MVCC point reads, scans and
 * batch apply on LMDB); whole-cluster benchmarks are in {@code io.meridian.bench.cluster}, the
 * bare-Ratis floor in {@code io.meridian.bench.ratis}, the load generator in
 * {@code io.meridian.bench.load}. Run them with {@code bin/meridian bench}; figures and the
 * commands that made them live in {@code docs/benchmarks.md}.
 */
package io.meridian.bench;
