package io.meridian.server.routing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Marks a request one node forwarded to another on a caller's behalf (a meta proposal sent on to
 * the meta leader), so that the receiver serves it itself or refuses it, but never forwards it
 * again: forwarding is one hop, and two nodes with stale leader hints cannot bounce a request
 * between them.
 */
public final class ForwardedCall {

    /** The request header carrying the mark. */
    static final Metadata.Key<String> HEADER = Metadata.Key.of("meridian-forwarded", Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<Boolean> FORWARDED = Context.key("meridian-forwarded");

    private ForwardedCall() {
    }

    /** True when the current gRPC call was forwarded by another node. */
    public static boolean current() {
        return Boolean.TRUE.equals(FORWARDED.get());
    }

    /** The server interceptor that reads the mark into the call's context. */
    public static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                boolean forwarded = headers.containsKey(HEADER);
                return Contexts.interceptCall(Context.current().withValue(FORWARDED, forwarded), call, headers, next);
            }
        };
    }

    /** The headers a forwarding node sends. */
    static Metadata headers() {
        Metadata headers = new Metadata();
        headers.put(HEADER, "1");
        return headers;
    }
}
