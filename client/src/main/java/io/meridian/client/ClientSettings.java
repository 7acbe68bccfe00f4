package io.meridian.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A client's validated configuration; see {@link MeridianClient.Builder} for each setting.
 *
 * @param endpoints           the configured endpoints, {@code host:port}, deduplicated
 * @param callTimeout         the deadline of each RPC
 * @param transactionTimeout  the budget of a retried operation
 * @param channelsPerEndpoint channels opened per endpoint
 * @param channelCredentials  transport security
 * @param callCredentials     per-call credentials
 * @param retrySettings       backoff between retries
 * @param channelFactory      replaces the default channel construction when present
 * @param retryClock          time and timers of the retry loops
 */
record ClientSettings(List<String> endpoints, Duration callTimeout, Duration transactionTimeout,
        int channelsPerEndpoint, ChannelCredentials channelCredentials, Optional<CallCredentials> callCredentials,
        RetrySettings retrySettings, Optional<Function<String, ManagedChannel>> channelFactory,
        RetryClock retryClock) {
}
