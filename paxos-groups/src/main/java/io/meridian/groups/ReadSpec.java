package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.KeySpan;
import io.meridian.storage.ScanDirection;
import java.util.List;
import java.util.Objects;

/**
 * What a read asks for: point keys, or one span with a row limit and direction.
 */
public sealed interface ReadSpec {

    /** Point reads of {@code keys}, answered in the order given; absent keys are left out. */
    record Keys(List<ByteString> keys) implements ReadSpec {
        public Keys {
            keys = List.copyOf(keys);
        }
    }

    /** A scan of {@code span}: at most {@code limit} rows in {@code direction}. */
    record Span(KeySpan span, int limit, ScanDirection direction) implements ReadSpec {
        public Span {
            Objects.requireNonNull(span, "span");
            Objects.requireNonNull(direction, "direction");
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive, was " + limit);
            }
        }
    }
}
