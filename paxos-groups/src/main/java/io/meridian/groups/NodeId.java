package io.meridian.groups;

import java.util.Objects;

/**
 * A node's identity in the cluster: a short name chosen at deployment (for example
 * {@code n1}), stable across restarts, unique in the cluster.
 *
 * @param value letters, digits, {@code -} and {@code _}; 1 to 64 characters
 */
public record NodeId(String value) {

    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("node id '" + value
                    + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
