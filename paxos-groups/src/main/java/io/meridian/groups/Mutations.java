package io.meridian.groups;

import io.meridian.api.v1.KeyRange;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;

/**
 * Conversions between the wire types of {@code meridian.v1} ({@link io.meridian.api.v1.Mutation},
 * {@link KeyRange}) and the storage types ({@link Mutation}, {@link KeySpan}).
 */
public final class Mutations {

    private Mutations() {
    }

    /**
     * The storage mutation for a wire mutation.
     *
     * @throws IllegalArgumentException when the mutation has no kind, an invalid key or span
     * @throws io.meridian.storage.LimitExceededException when a key or value is too long
     */
    public static Mutation toStorage(io.meridian.api.v1.Mutation mutation) {
        return switch (mutation.getKindCase()) {
            case PUT -> new Mutation.Put(mutation.getPut().getKey(), mutation.getPut().getValue());
            case DELETE -> new Mutation.Delete(mutation.getDelete().getKey());
            case DELETE_RANGE -> {
                KeyRange range = mutation.getDeleteRange().getRange();
                yield new Mutation.DeleteRange(range.getStart(), range.getEnd());
            }
            case KIND_NOT_SET -> throw new IllegalArgumentException("mutation has no put, delete or delete_range");
        };
    }

    /** The wire mutation for a storage mutation. */
    public static io.meridian.api.v1.Mutation toWire(Mutation mutation) {
        io.meridian.api.v1.Mutation.Builder wire = io.meridian.api.v1.Mutation.newBuilder();
        switch (mutation) {
            case Mutation.Put put -> wire.getPutBuilder().setKey(put.key()).setValue(put.value());
            case Mutation.Delete delete -> wire.getDeleteBuilder().setKey(delete.key());
            case Mutation.DeleteRange range -> wire.getDeleteRangeBuilder().setRange(keyRange(range.span()));
        }
        return wire.build();
    }

    /**
     * The span of a wire key range.
     *
     * @throws IllegalArgumentException when the range is empty or inverted
     */
    public static KeySpan span(KeyRange range) {
        return new KeySpan(range.getStart(), range.getEnd());
    }

    /** The wire key range of a span. */
    public static KeyRange keyRange(KeySpan span) {
        return KeyRange.newBuilder().setStart(span.start()).setEnd(span.end()).build();
    }
}
