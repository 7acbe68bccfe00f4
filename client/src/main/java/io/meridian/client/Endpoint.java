package io.meridian.client;

/** Validation of {@code host:port} endpoint strings. */
final class Endpoint {

    private Endpoint() {
    }

    /**
     * {@code hostPort} trimmed, if it is {@code host:port} (or {@code [ipv6]:port}) with a port
     * in {@code [1, 65535]}.
     *
     * @throws IllegalArgumentException naming the endpoint and what is wrong with it
     */
    static String check(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException("an endpoint is empty: expected host:port");
        }
        String trimmed = hostPort.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "' is not host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "': write an IPv6 host as [address]:port");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "' has a port that is not a number");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint '" + hostPort + "' has a port outside [1, 65535]");
        }
        return trimmed;
    }
}
