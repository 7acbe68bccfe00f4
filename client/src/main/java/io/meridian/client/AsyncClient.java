package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking face of {@link MeridianClient}: the same operations, same retry rules and
 * same exceptions, delivered through {@link CompletableFuture}s (a failed future's cause is the
 * {@link MeridianException} the blocking call would have thrown). Single-use reads and writes
 * run on gRPC's asynchronous calls and occupy no thread while waiting.
 *
 * <p>{@link #readWriteTransaction} takes the ordinary blocking {@link TransactionFunction} and
 * runs it, with its retries, on a virtual thread of its own: a transaction function reads and
 * decides step by step, which a virtual thread expresses plainly at almost no cost.
 *
 * <p>Thread-safe. Obtained from {@link MeridianClient#async()}.
 */
public final class AsyncClient {

    private final ClientCore core;

    AsyncClient(ClientCore core) {
        this.core = core;
    }

    /** A strong single-use read of {@code key}; the future holds the row, or empty if absent. */
    public CompletableFuture<Optional<KeyValue>> get(ByteString key) {
        return get(key, TimestampBound.strong());
    }

    /** A strong single-use read of the UTF-8 key {@code key}. */
    public CompletableFuture<Optional<KeyValue>> get(String key) {
        return get(ByteString.copyFromUtf8(key));
    }

    /** A single-use read of {@code key} with {@code bound}. */
    public CompletableFuture<Optional<KeyValue>> get(ByteString key, TimestampBound bound) {
        return read(bound, List.of(key)).thenApply(result -> result.get(key));
    }

    /** A strong single-use read of {@code keys}; see {@link ReadContext#read(Collection)}. */
    public CompletableFuture<ReadResult> read(Collection<ByteString> keys) {
        return read(TimestampBound.strong(), keys);
    }

    /** A single-use read of {@code keys} with {@code bound}; see {@link ReadContext#read(Collection)}. */
    public CompletableFuture<ReadResult> read(TimestampBound bound, Collection<ByteString> keys) {
        Objects.requireNonNull(bound, "bound");
        return core.singleUse().read(bound, List.copyOf(keys));
    }

    /** Blind writes; see {@link MeridianClient#write(List)}. */
    public CompletableFuture<Timestamp> write(Mutation... mutations) {
        return write(Arrays.asList(mutations));
    }

    /** Blind writes; see {@link MeridianClient#write(List)}. */
    public CompletableFuture<Timestamp> write(List<Mutation> mutations) {
        return core.singleUse().write(List.copyOf(mutations));
    }

    /**
     * {@link MeridianClient#readWriteTransaction(TransactionFunction)} on a virtual thread: the
     * future completes with its result or its exception.
     */
    public <T> CompletableFuture<TransactionResult<T>> readWriteTransaction(TransactionFunction<T> function) {
        Objects.requireNonNull(function, "function");
        return CompletableFuture.supplyAsync(() -> new TransactionRunner(core).run(function), core.virtualThreads());
    }
}
