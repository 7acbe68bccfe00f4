package io.meridian.server.gateway;

/**
 * The directory this gateway knows does not cover some keys of a request (it is behind, or the
 * cluster is still bootstrapping). Nothing was sent for them; the caller refreshes the directory
 * and plans again, and reports {@code UNAVAILABLE} if it stays so.
 */
final class MissingRouteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MissingRouteException(String what) {
        super("the cluster directory known to this node does not cover " + what + " yet");
    }
}
