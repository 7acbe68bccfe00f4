/**
 * The Java client SDK of Meridian, and (in {@code cli}) the {@code meridian} shell built on it.
 *
 * <p><b>Public API.</b> {@link io.meridian.client.MeridianClient} is the entry point: single-use
 * reads ({@link io.meridian.client.ReadContext}), read-only transactions, read-write transactions
 * run by a retried {@link io.meridian.client.TransactionFunction} or driven by hand, blind
 * writes, an {@link io.meridian.client.AsyncClient} and an {@link io.meridian.client.AdminClient}.
 * Values are immutable records ({@code Timestamp}, {@code KeySpan}, {@code KeyValue},
 * {@code ReadResult}) and sealed families ({@code Mutation}, {@code TimestampBound}). Failures
 * are unchecked {@link io.meridian.client.MeridianException}s, chosen in exactly one place,
 * {@link io.meridian.client.StatusErrors}.
 *
 * <p><b>Inside.</b> {@code ClientCore} holds what a client shares: {@code ChannelPool} (channels
 * per endpoint), {@code Endpoints} (configured and discovered addresses, which refused
 * connections lately), {@code RoutingCache} (range → leader → address, from the Admin service,
 * corrected by leader hints), {@code Rpc} (asynchronous unary calls) and the asynchronous retry
 * loop with {@code RetryPolicy}. {@code SingleUseOps} serves single-use reads and writes;
 * {@code ReadWriteAttempt} is one attempt of a read-write transaction (begun lazily at the
 * leader of its first key), {@code TransactionRunner} retries attempts; {@code RetryClock} is
 * the seam tests replace to assert waits without sleeping.
 *
 * <p><b>Invariants.</b> Every commit ends committed (with its timestamp), definitely not applied
 * (a typed exception), or ambiguous ({@link io.meridian.client.AmbiguousCommitException}); an
 * ambiguous commit is never retried or sent to another endpoint. Only failures that prove
 * nothing was applied are retried, within the transaction timeout. All calls of a transaction
 * go to the node that began it. Every read reports the timestamp it read at.
 */
package io.meridian.client;
