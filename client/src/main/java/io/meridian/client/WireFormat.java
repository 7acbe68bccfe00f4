package io.meridian.client;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.Mutation.Delete;
import io.meridian.api.v1.Mutation.DeleteRange;
import io.meridian.api.v1.Mutation.Put;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Converts the SDK's sealed value families ({@link TimestampBound}, {@link Mutation}) to their
 * wire form, and says which key a commit of mutations is routed by.
 */
final class WireFormat {

    private WireFormat() {
    }

    static io.meridian.api.v1.TimestampBound bound(TimestampBound bound) {
        var proto = io.meridian.api.v1.TimestampBound.newBuilder();
        switch (bound) {
            case TimestampBound.Strong strong -> proto.setStrong(true);
            case TimestampBound.ReadTimestamp exact -> proto.setReadTimestamp(exact.timestamp().toProto());
            case TimestampBound.MinReadTimestamp min -> proto.setMinReadTimestamp(min.timestamp().toProto());
            case TimestampBound.ExactStaleness exact -> proto.setExactStalenessMicros(micros(exact.staleness()));
            case TimestampBound.MaxStaleness max -> proto.setMaxStalenessMicros(micros(max.staleness()));
        }
        return proto.build();
    }

    static io.meridian.api.v1.Mutation mutation(Mutation mutation) {
        var proto = io.meridian.api.v1.Mutation.newBuilder();
        switch (mutation) {
            case Mutation.Put put -> proto.setPut(Put.newBuilder().setKey(put.key()).setValue(put.value()));
            case Mutation.Delete delete -> proto.setDelete(Delete.newBuilder().setKey(delete.key()));
            case Mutation.DeleteRange range -> proto.setDeleteRange(DeleteRange.newBuilder().setRange(range.span().toProto()));
        }
        return proto.build();
    }

    /** The key a commit of {@code mutation} is routed by: its key, or the start of its span. */
    static ByteString routingKey(Mutation mutation) {
        return switch (mutation) {
            case Mutation.Put put -> put.key();
            case Mutation.Delete delete -> delete.key();
            case Mutation.DeleteRange range -> range.span().start();
        };
    }

    static List<io.meridian.api.v1.Mutation> mutations(List<Mutation> mutations) {
        return mutations.stream().map(WireFormat::mutation).toList();
    }

    private static long micros(Duration duration) {
        return TimeUnit.NANOSECONDS.toMicros(duration.toNanos());
    }
}
