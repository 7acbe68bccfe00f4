package io.meridian.server.status;

import io.grpc.StatusRuntimeException;
import java.util.Objects;

/**
 * Another node answered a forwarded request with a Meridian error the gateway does not act on
 * (a read conflict, an invalid request, an ambiguous commit...): the gateway relays the status
 * unchanged to its caller.
 */
public final class RemoteStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final StatusRuntimeException status;

    /** Wraps the status another node returned. */
    public RemoteStatusException(StatusRuntimeException status) {
        super(status.getMessage(), status);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The status as the other node returned it, details included. */
    public StatusRuntimeException status() {
        return status;
    }
}
