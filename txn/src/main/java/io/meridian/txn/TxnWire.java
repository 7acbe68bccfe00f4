package io.meridian.txn;

import io.meridian.api.internal.v1.LockingRead;
import io.meridian.api.internal.v1.ReadDone;
import io.meridian.api.v1.Row;
import io.meridian.groups.Mutations;
import io.meridian.groups.ReadResult;
import io.meridian.groups.ReadSpec;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.Version;
import io.meridian.truetime.Timestamp;
import java.util.Collection;
import java.util.List;

/** Conversions between the transaction messages of {@code txn.proto} and the groups' types. */
public final class TxnWire {

    private TxnWire() {
    }

    /**
     * The read a {@link LockingRead} asks for: its keys, or its range with limit and direction.
     *
     * @throws IllegalArgumentException when it has both or neither, or a bad limit or range
     */
    public static ReadSpec readSpec(LockingRead read) {
        if (read.getKeysCount() > 0) {
            if (read.hasRange()) {
                throw new IllegalArgumentException("a read names keys or a range, not both");
            }
            return new ReadSpec.Keys(read.getKeysList());
        }
        if (!read.hasRange()) {
            throw new IllegalArgumentException("a read needs keys or a range");
        }
        return new ReadSpec.Span(Mutations.span(read.getRange()), Math.toIntExact(read.getLimit()),
                read.getReverse() ? ScanDirection.REVERSE : ScanDirection.FORWARD);
    }

    /** The wire form of a read. */
    public static LockingRead lockingRead(ReadSpec spec) {
        return switch (spec) {
            case ReadSpec.Keys keys -> LockingRead.newBuilder().addAllKeys(keys.keys()).build();
            case ReadSpec.Span span -> LockingRead.newBuilder().setRange(Mutations.keyRange(span.span()))
                    .setLimit(span.limit()).setReverse(span.direction() == ScanDirection.REVERSE).build();
        };
    }

    /** The spans a locking read locks: each key, or the whole span (no phantoms). */
    static List<KeySpan> lockSpans(ReadSpec spec) {
        return switch (spec) {
            case ReadSpec.Keys keys -> keys.keys().stream().map(KeySpan::ofKey).toList();
            case ReadSpec.Span span -> List.of(span.span());
        };
    }

    /** The wire form of a read's answer. */
    public static ReadDone readDone(ReadResult result) {
        ReadDone.Builder done = ReadDone.newBuilder().setReadTsMicros(result.readTs().micros());
        result.rows().forEach(version -> done.addRows(row(version)));
        result.resumeKey().ifPresent(done::setResumeKey);
        return done.build();
    }

    /** A read's answer from its wire form. */
    public static ReadResult readResult(ReadDone done) {
        List<Version> rows = done.getRowsList().stream()
                .map(row -> new Version(row.getKey(), row.getValue(), new Timestamp(row.getVersionTs().getMicros())))
                .toList();
        return new ReadResult(rows, new Timestamp(done.getReadTsMicros()),
                done.getResumeKey().isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(done.getResumeKey()));
    }

    /** The wire row of a version read. */
    public static Row row(Version version) {
        return Row.newBuilder().setKey(version.key()).setValue(version.value())
                .setVersionTs(io.meridian.api.v1.Timestamp.newBuilder().setMicros(version.ts().micros())).build();
    }

    /** Storage mutations from wire ones, in order. */
    public static List<Mutation> mutations(Collection<io.meridian.api.v1.Mutation> wire) {
        return wire.stream().map(Mutations::toStorage).toList();
    }

    /** Wire mutations from storage ones, in order. */
    public static List<io.meridian.api.v1.Mutation> toWire(Collection<Mutation> mutations) {
        return mutations.stream().map(Mutations::toWire).toList();
    }
}
