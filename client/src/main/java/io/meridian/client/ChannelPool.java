package io.meridian.client;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The gRPC channels of a client: {@code channelsPerEndpoint} per endpoint address, opened on
 * first use (a channel connects lazily itself) and used round-robin. Thread-safe.
 */
final class ChannelPool implements AutoCloseable {

    private static final long SHUTDOWN_WAIT_MILLIS = 1_000;

    private final ClientSettings settings;
    private final Map<String, Channels> byAddress = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ChannelPool(ClientSettings settings) {
        this.settings = settings;
    }

    /**
     * A channel to {@code address}.
     *
     * @throws IllegalStateException if the pool is closed
     */
    Channel channel(String address) {
        if (closed) {
            throw new IllegalStateException("the Meridian client is closed");
        }
        return byAddress.computeIfAbsent(address, this::open).next();
    }

    /** Shuts every channel down, waiting briefly for calls in flight. Idempotent. */
    @Override
    public void close() {
        closed = true;
        List<ManagedChannel> all = byAddress.values().stream().flatMap(c -> c.channels().stream()).toList();
        all.forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : all) {
            try {
                if (!channel.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                channel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        byAddress.clear();
    }

    private Channels open(String address) {
        return new Channels(IntStream.range(0, settings.channelsPerEndpoint())
                .mapToObj(i -> settings.channelFactory()
                        .map(factory -> factory.apply(address))
                        .orElseGet(() -> Grpc.newChannelBuilder(address, settings.channelCredentials()).build()))
                .toList(), new AtomicInteger());
    }

    /** The channels of one endpoint and the round-robin cursor over them. */
    private record Channels(List<ManagedChannel> channels, AtomicInteger cursor) {

        Channel next() {
            return channels.get(Math.floorMod(cursor.getAndIncrement(), channels.size()));
        }
    }
}
