package io.meridian.storage;

import java.util.List;
import java.util.Objects;

/**
 * A span import that started and did not finish (the process died, or the stream failed). Its
 * spans hold a mix of old and imported versions; the group must import a snapshot covering
 * them again before it applies any batch.
 *
 * @param group the group that was importing
 * @param spans the spans being replaced
 */
public record IncompleteImport(GroupId group, List<KeySpan> spans) {

    public IncompleteImport {
        Objects.requireNonNull(group, "group");
        spans = List.copyOf(spans);
    }
}
