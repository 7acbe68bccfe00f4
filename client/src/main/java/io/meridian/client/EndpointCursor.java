package io.meridian.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The endpoint choice of one operation across its retries: the leader of the operation's
 * routing key while it answers (re-read each time, so a leader hint learnt from the last
 * failure takes effect), then the other endpoints in turn, skipping those this operation found
 * unreachable; when every endpoint has been unreachable it starts over. Not thread-safe: one
 * per operation.
 */
final class EndpointCursor {

    private final Endpoints endpoints;
    private final RoutingCache routing;
    private final Optional<ByteString> routingKey;
    private final Set<String> unreachable = new HashSet<>();

    EndpointCursor(Endpoints endpoints, RoutingCache routing, Optional<ByteString> routingKey) {
        this.endpoints = endpoints;
        this.routing = routing;
        this.routingKey = routingKey;
    }

    /** The endpoint for the next attempt. */
    private String next() {
        Optional<String> leader = routingKey.flatMap(routing::leaderAddress);
        List<String> candidates = endpoints.candidates(leader);
        for (String candidate : candidates) {
            if (!unreachable.contains(candidate)) {
                return candidate;
            }
        }
        unreachable.clear();
        return candidates.get(0);
    }

    /**
     * Runs one attempt at the next endpoint, noting it as unreachable for this operation if
     * the attempt fails with a transport-level {@code UNAVAILABLE}.
     */
    <T> CompletableFuture<T> attempt(Function<String, CompletableFuture<T>> call) {
        String address = next();
        return call.apply(address).whenComplete((value, error) -> {
            if (error != null && StatusErrors.unwrap(error) instanceof MeridianException failure
                    && failure.code() == Status.Code.UNAVAILABLE && !failure.details().fromNode()) {
                unreachable.add(address);
            }
        });
    }
}
