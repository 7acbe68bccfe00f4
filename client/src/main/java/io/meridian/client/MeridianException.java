package io.meridian.client;

import io.grpc.Status;
import java.util.Map;
import java.util.Objects;

/**
 * The root of every failure the SDK reports: the gRPC status code, the Meridian error reason
 * (the {@code google.rpc.ErrorInfo} reason a node attached, such as {@code NOT_LEADER} or
 * {@code TXN_ABORTED}; empty when the transport, not a node, produced the status) and the
 * message. {@link StatusErrors} picks the subclass; this class itself stands for codes with no
 * subclass of their own ({@code INTERNAL}, {@code CANCELLED}, {@code UNKNOWN} outside a commit,
 * …). Unchecked.
 */
public class MeridianException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final String reason;
    private final Map<String, String> metadata;
    private final transient ErrorDetails details;

    MeridianException(Status.Code code, ErrorDetails details, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Objects.requireNonNull(details, "details");
        this.reason = details.reason();
        this.metadata = details.metadata();
    }

    /** The gRPC status code. */
    public Status.Code code() {
        return code;
    }

    /** The Meridian error reason; empty if no node gave one. */
    public String reason() {
        return reason;
    }

    /** The {@code ErrorInfo} metadata the node attached (such as {@code abort_reason}); may be empty. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The decoded status details, for the client's routing and retry decisions. */
    ErrorDetails details() {
        return details;
    }

    /** The code, the reason when present, and the message. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + code + (reason.isEmpty() ? "" : " " + reason) + ": " + getMessage();
    }
}
