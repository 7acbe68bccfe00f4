package io.meridian.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The entry point of the Meridian Java SDK: a connection to a cluster through one or more
 * endpoints, with leader-aware routing, failover and retries of definite aborts.
 *
 * <pre>{@code
 * try (MeridianClient client = MeridianClient.builder().endpoints("localhost:7000").build()) {
 *     client.write(Mutation.put("greeting", "hello"));
 *     Optional<KeyValue> row = client.singleUse().get("greeting");
 *     TransactionResult<Long> result = client.readWriteTransaction(txn -> {
 *         long n = txn.get("counter").map(kv -> Long.parseLong(kv.valueUtf8())).orElse(0L);
 *         txn.put("counter", Long.toString(n + 1));
 *         return n + 1;
 *     });
 * }
 * }</pre>
 *
 * <p><b>Outcomes.</b> Every commit is committed (a timestamp is returned), definitely not
 * applied (an exception other than {@link AmbiguousCommitException}), or ambiguous
 * ({@link AmbiguousCommitException}: it may have committed). The client retries only what
 * certainly did not apply; it never retries an ambiguous commit.
 *
 * <p><b>Routing.</b> The client keeps a cache of which node leads each key range (from the
 * Admin service) and sends a single-use request, or a transaction's first request, to the
 * leader of the first key it touches; any node can serve any key, so a stale cache costs only
 * a hop. Wrong-leader answers update the cache. Calls that certainly did not apply fail over
 * to other endpoints (the configured ones and the nodes' advertised addresses) when an
 * endpoint is unreachable.
 *
 * <p>Thread-safe: share one client per cluster. {@link #close()} shuts its channels down.
 */
public final class MeridianClient implements AutoCloseable {

    private final ClientCore core;
    private final AsyncClient async;
    private final AdminClient admin;

    private MeridianClient(ClientSettings settings) {
        this.core = new ClientCore(settings);
        this.async = new AsyncClient(core);
        this.admin = new AdminClient(core.admin());
    }

    /** A builder with the defaults: 30 s call timeout, 60 s transaction timeout, one channel per endpoint, plaintext. */
    public static Builder builder() {
        return new Builder();
    }

    /** Strong single-use reads: each read is its own read-only transaction seeing everything committed before it. */
    public ReadContext singleUse() {
        return singleUse(TimestampBound.strong());
    }

    /**
     * Single-use reads with {@code bound}: each read (and each scan, across all its pages) is
     * its own read-only transaction. Reads are retried and failed over while they certainly
     * changed nothing (they never change anything) until the transaction timeout.
     */
    public ReadContext singleUse(TimestampBound bound) {
        return new SingleUseReadContext(core, Objects.requireNonNull(bound, "bound"));
    }

    /** A strong read-only transaction; see {@link #readOnlyTransaction(TimestampBound)}. */
    public ReadOnlyTransaction readOnlyTransaction() {
        return readOnlyTransaction(TimestampBound.strong());
    }

    /**
     * A read-only transaction: all its reads see one snapshot chosen by {@code bound}. It begins
     * at its first read (or its first {@link ReadOnlyTransaction#readTimestamp()} call); close it
     * when done.
     */
    public ReadOnlyTransaction readOnlyTransaction(TimestampBound bound) {
        return new GrpcReadOnlyTransaction(core, Objects.requireNonNull(bound, "bound"));
    }

    /**
     * Runs {@code function} in a read-write transaction and commits what it buffered, retrying
     * definite aborts.
     *
     * <p><b>Retries.</b> When an attempt certainly did not commit — {@code ABORTED} from any call;
     * {@code UNAVAILABLE} (a node without a leader, an unreachable node) from its begin or reads,
     * or from a commit that provably never ran (the node refused it, or the connection was
     * refused); a range that moved ({@code WRONG_RANGE}); or its node having forgotten it
     * ({@code TRANSACTION_NOT_FOUND}) — the attempt is rolled back and {@code function} runs
     * again on a fresh context, after a
     * jittered exponential backoff ({@link Builder#retrySettings}) plus any delay the server asked
     * for, with the first attempt's priority so that it eventually wins its lock conflicts. So
     * {@code function} may run several times; keep side effects outside the transaction safe to
     * repeat. {@link TransactionContext#attempt()} says which run it is.
     *
     * <p><b>Never retried.</b> A commit whose outcome is unknown throws
     * {@link AmbiguousCommitException}. If {@code function} throws, nothing it buffered is
     * written and its exception is rethrown, but only once the server confirmed that every read
     * it made still held (its locks are intact): a transaction wounded by an older one learns of
     * it only at its next step at that group, so its function may meanwhile read values that
     * never held together and throw because of them. Such an attempt, and one that failed with
     * an abort the function swallowed, is retried instead. Any other refusal is thrown as its
     * {@link MeridianException}.
     *
     * @return the function's value from the attempt that committed, the commit timestamp and
     *     the number of attempts
     * @throws TransactionTimeoutException if attempts kept aborting until the transaction timeout
     * @throws AmbiguousCommitException    if the commit's outcome is unknown
     */
    public <T> TransactionResult<T> readWriteTransaction(TransactionFunction<T> function) {
        return new TransactionRunner(core).run(Objects.requireNonNull(function, "function"));
    }

    /**
     * Begins a read-write transaction driven by hand: no automatic retry (see
     * {@link ReadWriteTransaction}). Like the function form it begins lazily, at its first read.
     */
    public ReadWriteTransaction beginReadWriteTransaction() {
        return new ReadWriteAttempt(core, 1, Optional.empty());
    }

    /** Blind writes; see {@link #write(List)}. */
    public Timestamp write(Mutation... mutations) {
        return write(Arrays.asList(mutations));
    }

    /**
     * Applies {@code mutations} atomically in a single-use transaction (no reads, one round trip),
     * sent to the leader of the first mutation's key. An abort is retried (the server already
     * retries it too); an ambiguous outcome is not.
     *
     * @param mutations at least one mutation
     * @return the commit timestamp
     * @throws AmbiguousCommitException if the outcome is unknown
     */
    public Timestamp write(List<Mutation> mutations) {
        return Blocking.join(core.singleUse().write(List.copyOf(mutations)));
    }

    /** The same operations returning {@link java.util.concurrent.CompletableFuture}s. */
    public AsyncClient async() {
        return async;
    }

    /** The cluster's nodes, ranges and groups. */
    public AdminClient admin() {
        return admin;
    }

    /** Tests: reloads the routing table now; the future completes when the reload has finished. */
    CompletableFuture<Void> refreshRouting() {
        return core.routing().refresh();
    }

    /** Shuts the channels down; calls in flight fail with {@code UNAVAILABLE}/{@code CANCELLED}. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Configures a {@link MeridianClient}. Not thread-safe; {@link #build()} may be called more
     * than once.
     */
    public static final class Builder {

        private final List<String> endpoints = new ArrayList<>();
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration transactionTimeout = Duration.ofSeconds(60);
        private int channelsPerEndpoint = 1;
        private ChannelCredentials channelCredentials = InsecureChannelCredentials.create();
        private Optional<CallCredentials> callCredentials = Optional.empty();
        private RetrySettings retrySettings = RetrySettings.defaults();
        private Optional<Function<String, ManagedChannel>> channelFactory = Optional.empty();
        private RetryClock retryClock = RetryClock.system();

        private Builder() {
        }

        /**
         * The endpoints to connect through, each {@code host:port} (IPv6 as {@code [addr]:port}).
         * At least one is required; more give failover before the client has learned the
         * nodes' own addresses. Replaces earlier calls.
         *
         * @throws IllegalArgumentException if an endpoint is not {@code host:port}
         */
        public Builder endpoints(String... hostPorts) {
            return endpoints(Arrays.asList(hostPorts));
        }

        /** The endpoints; see {@link #endpoints(String...)}. */
        public Builder endpoints(List<String> hostPorts) {
            List<String> checked = new ArrayList<>();
            for (String hostPort : hostPorts) {
                checked.add(Endpoint.check(hostPort));
            }
            endpoints.clear();
            endpoints.addAll(new LinkedHashSet<>(checked));
            return this;
        }

        /**
         * The deadline of each RPC (default 30 s). A commit that passes it is ambiguous, so keep
         * it comfortably above the commit latency.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * How long a read-write transaction, or any retried request, may keep retrying definite
         * aborts before giving up (default 60 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder transactionTimeout(Duration timeout) {
            this.transactionTimeout = positive(timeout, "transactionTimeout");
            return this;
        }

        /**
         * How many gRPC channels (connections) to open per endpoint (default 1); calls spread
         * over them round-robin.
         *
         * @throws IllegalArgumentException if not in {@code [1, 64]}
         */
        public Builder channelsPerEndpoint(int channels) {
            if (channels < 1 || channels > 64) {
                throw new IllegalArgumentException("channelsPerEndpoint must be in [1, 64]: " + channels);
            }
            this.channelsPerEndpoint = channels;
            return this;
        }

        /**
         * The transport security of every channel (default plaintext): for TLS pass, for example,
         * {@code TlsChannelCredentials.create()} or one built with your CA and client certificate.
         */
        public Builder channelCredentials(ChannelCredentials credentials) {
            this.channelCredentials = Objects.requireNonNull(credentials, "channelCredentials");
            return this;
        }

        /** Credentials attached to every call, such as a bearer token (default none). */
        public Builder callCredentials(CallCredentials credentials) {
            this.callCredentials = Optional.of(Objects.requireNonNull(credentials, "callCredentials"));
            return this;
        }

        /** The backoff between retries (default {@link RetrySettings#defaults()}). */
        public Builder retrySettings(RetrySettings settings) {
            this.retrySettings = Objects.requireNonNull(settings, "retrySettings");
            return this;
        }

        /**
         * Advanced: how a channel to one endpoint is opened, replacing the default
         * ({@code Grpc.newChannelBuilder(endpoint, channelCredentials)}). The client owns the
         * channels it is given and shuts them down on close. Useful for in-process transports
         * in tests, or custom channel settings.
         */
        public Builder channelFactory(Function<String, ManagedChannel> factory) {
            this.channelFactory = Optional.of(Objects.requireNonNull(factory, "channelFactory"));
            return this;
        }

        /** Tests: the clock and timer retries wait on. */
        Builder retryClock(RetryClock clock) {
            this.retryClock = Objects.requireNonNull(clock, "retryClock");
            return this;
        }

        /**
         * The client. Opens no connection yet: channels connect on first use.
         *
         * @throws IllegalArgumentException if no endpoint was given
         */
        public MeridianClient build() {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("at least one endpoint (host:port) is required");
            }
            return new MeridianClient(new ClientSettings(List.copyOf(endpoints), callTimeout, transactionTimeout,
                    channelsPerEndpoint, channelCredentials, callCredentials, retrySettings, channelFactory,
                    retryClock));
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
