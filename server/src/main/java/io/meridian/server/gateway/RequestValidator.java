package io.meridian.server.gateway;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.TimestampBound;
import io.meridian.server.status.RequestFailedException;
import io.meridian.server.status.StatusMapper;
import io.meridian.server.wire.ProtoConversions;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.storage.Limit;
import io.meridian.storage.LimitExceededException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks public requests before anything is sent: every problem is an
 * {@link RequestFailedException} whose message names the field ({@code mutations[3].put.key is
 * empty}) and, for a broken size limit, carries a {@link LimitViolation} naming the limit.
 * Stateless and thread-safe.
 */
public final class RequestValidator {

    /** Rows a {@code Read} returns when its limit is 0. */
    public static final int READ_LIMIT_DEFAULT = 1_000;

    private RequestValidator() {
    }

    /**
     * Checks a read request: exactly one of keys and range, valid keys and bounds, a limit the
     * call allows, a resume key only for a range.
     *
     * @param streaming true for {@code StreamingRead}, whose limit may exceed one response
     */
    public static void checkRead(ReadRequest request, boolean streaming) {
        boolean hasKeys = request.getKeysCount() > 0;
        if (hasKeys == request.hasRange()) {
            throw RequestFailedException.invalid(hasKeys ? "set either keys or range, not both"
                    : "a read needs keys or a range");
        }
        if (request.getLimit() < 0) {
            throw RequestFailedException.invalid("limit must not be negative, was " + request.getLimit());
        }
        if (!streaming) {
            checkLimit(Limit.SCAN_ROWS, request.getLimit(), "limit");
        }
        if (hasKeys) {
            checkLimit(Limit.SCAN_ROWS, request.getKeysCount(), "keys");
            for (int i = 0; i < request.getKeysCount(); i++) {
                checkKey(request.getKeys(i), "keys[" + i + "]");
            }
            if (!request.getResumeKey().isEmpty()) {
                throw RequestFailedException.invalid("resume_key applies to range reads only");
            }
            return;
        }
        KeySpan span = checkRange(request.getRange(), "range");
        if (!request.getResumeKey().isEmpty()) {
            checkLimit(Limit.KEY_BYTES, request.getResumeKey().size(), "resume_key");
            if (!span.contains(request.getResumeKey())) {
                throw RequestFailedException.invalid("resume_key " + Keys.describe(request.getResumeKey())
                        + " is outside range " + span);
            }
        }
    }

    /** Checks a timestamp bound: timestamps and stalenesses are not negative. */
    public static void checkBound(TimestampBound bound, String field) {
        switch (bound.getBoundCase()) {
            case READ_TIMESTAMP -> checkNotNegative(bound.getReadTimestamp().getMicros(), field + ".read_timestamp");
            case MIN_READ_TIMESTAMP -> checkNotNegative(bound.getMinReadTimestamp().getMicros(),
                    field + ".min_read_timestamp");
            case EXACT_STALENESS_MICROS -> checkNotNegative(bound.getExactStalenessMicros(),
                    field + ".exact_staleness_micros");
            case MAX_STALENESS_MICROS -> checkNotNegative(bound.getMaxStalenessMicros(),
                    field + ".max_staleness_micros");
            case STRONG, BOUND_NOT_SET -> { }
        }
    }

    /**
     * Checks a commit's mutations and converts them: valid keys, values, ranges, at most
     * {@link Limit#BATCH_MUTATIONS} of them and {@link Limit#BATCH_BYTES} in all.
     *
     * @param required true when a commit without mutations is malformed (single-use commits)
     */
    public static List<io.meridian.storage.Mutation> checkMutations(List<Mutation> mutations, boolean required) {
        if (required && mutations.isEmpty()) {
            throw RequestFailedException.invalid("a single-use commit needs at least one mutation");
        }
        checkLimit(Limit.BATCH_MUTATIONS, mutations.size(), "mutations");
        List<io.meridian.storage.Mutation> converted = new ArrayList<>(mutations.size());
        long bytes = 0;
        for (int i = 0; i < mutations.size(); i++) {
            Mutation m = mutations.get(i);
            String field = "mutations[" + i + "]";
            switch (m.getKindCase()) {
                case PUT -> {
                    checkKey(m.getPut().getKey(), field + ".put.key");
                    checkLimit(Limit.VALUE_BYTES, m.getPut().getValue().size(), field + ".put.value");
                }
                case DELETE -> checkKey(m.getDelete().getKey(), field + ".delete.key");
                case DELETE_RANGE -> {
                    if (!m.getDeleteRange().hasRange()) {
                        throw RequestFailedException.invalid(field + ".delete_range.range is not set");
                    }
                    checkRange(m.getDeleteRange().getRange(), field + ".delete_range.range");
                }
                case KIND_NOT_SET -> throw RequestFailedException.invalid(field + " has no put, delete or delete_range");
            }
            io.meridian.storage.Mutation storage = ProtoConversions.mutation(m);
            bytes += storage.sizeBytes();
            converted.add(storage);
        }
        checkLimit(Limit.BATCH_BYTES, bytes, "mutations");
        return converted;
    }

    /** Checks a key: not empty, at most {@link Limit#KEY_BYTES}. */
    public static void checkKey(ByteString key, String field) {
        if (key.isEmpty()) {
            throw RequestFailedException.invalid(field + " is empty");
        }
        checkLimit(Limit.KEY_BYTES, key.size(), field);
    }

    /** Checks a key range (bounds within {@link Limit#KEY_BYTES}, start below a non-empty end). */
    public static KeySpan checkRange(KeyRange range, String field) {
        checkLimit(Limit.KEY_BYTES, range.getStart().size(), field + ".start");
        checkLimit(Limit.KEY_BYTES, range.getEnd().size(), field + ".end");
        if (!range.getEnd().isEmpty() && Keys.compare(range.getStart(), range.getEnd()) >= 0) {
            throw RequestFailedException.invalid(field + " is empty or inverted: start "
                    + Keys.describe(range.getStart()) + " is not below end " + Keys.describe(range.getEnd()));
        }
        return ProtoConversions.span(range);
    }

    /** Checks a size against a storage limit, naming the field. */
    public static void checkLimit(Limit limit, long actual, String field) {
        try {
            limit.check(actual);
        } catch (LimitExceededException e) {
            throw RequestFailedException.limit(field + ": " + e.getMessage(), StatusMapper.violation(e));
        }
    }

    private static void checkNotNegative(long value, String field) {
        if (value < 0) {
            throw RequestFailedException.invalid(field + " must not be negative, was " + value);
        }
    }
}
