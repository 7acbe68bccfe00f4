/**
 * JMH benchmarks. Today: micro-benchmarks of the hot paths that exist ({@code TrueTime.now()},
 * MVCC point reads, scans and batch apply on LMDB); later issues add whole-cluster latency
 * benchmarks. Run them with {@code bin/meridian bench}; figures and the commands that made
 * them live in {@code docs/benchmarks.md}.
 */
package io.meridian.bench;
