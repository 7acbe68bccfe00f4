package io.meridian.server.gateway;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.LimitViolation;
import io.meridian.api.v1.Mutation;
import io.meridian.api.v1.ReadRequest;
import io.meridian.api.v1.Timestamp;
import io.meridian.api.v1.TimestampBound;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Shows which requests the gateway refuses before sending anything, and that each refusal names
 * the field and, for a size limit, carries a {@link LimitViolation} naming the limit.
 */
class RequestValidatorTest {

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static Mutation put(ByteString key, ByteString value) {
        return Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(key).setValue(value)).build();
    }

    private static Mutation deleteRange(String start, String end) {
        return Mutation.newBuilder().setDeleteRange(Mutation.DeleteRange.newBuilder()
                .setRange(KeyRange.newBuilder().setStart(bytes(start)).setEnd(bytes(end)))).build();
    }

    private static RequestFailedException refused(Executable check) {
        return assertThrows(RequestFailedException.class, check);
    }

    private static void assertInvalid(String mentions, Executable check) {
        RequestFailedException e = refused(check);
        assertEquals(ErrorReason.INVALID_REQUEST, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), "'" + e.getMessage() + "' should mention " + mentions);
    }

    private static LimitViolation assertLimit(String limit, String field, Executable check) {
        RequestFailedException e = refused(check);
        assertEquals(ErrorReason.LIMIT_EXCEEDED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field), "'" + e.getMessage() + "' should name " + field);
        LimitViolation violation = e.violation().orElseThrow();
        assertEquals(limit, violation.getLimit());
        return violation;
    }

    @Test
    void validMutationsPassAndConvert() {
        List<io.meridian.storage.Mutation> converted = RequestValidator.checkMutations(List.of(
                put(bytes("k"), ByteString.EMPTY), deleteRange("a", "b"), deleteRange("a", ""),
                Mutation.newBuilder().setDelete(Mutation.Delete.newBuilder().setKey(bytes("d"))).build()), true);
        assertEquals(4, converted.size());
        assertTrue(converted.get(0) instanceof io.meridian.storage.Mutation.Put);
        assertDoesNotThrow(() -> RequestValidator.checkMutations(List.of(), false));
    }

    @Test
    void mutationsWithBadKeysValuesOrRangesAreRefusedNamingTheField() {
        assertInvalid("mutations[1].put.key is empty", () -> RequestValidator.checkMutations(
                List.of(put(bytes("ok"), bytes("v")), put(ByteString.EMPTY, bytes("v"))), true));
        assertInvalid("mutations[0].delete.key is empty", () -> RequestValidator.checkMutations(List.of(
                Mutation.newBuilder().setDelete(Mutation.Delete.getDefaultInstance()).build()), true));
        assertInvalid("mutations[0].delete_range.range is empty or inverted", () -> RequestValidator.checkMutations(
                List.of(deleteRange("z", "a")), true));
        assertInvalid("mutations[0].delete_range.range is empty or inverted", () -> RequestValidator.checkMutations(
                List.of(deleteRange("b", "b")), true));
        assertInvalid("mutations[0].delete_range.range is not set", () -> RequestValidator.checkMutations(List.of(
                Mutation.newBuilder().setDeleteRange(Mutation.DeleteRange.getDefaultInstance()).build()), true));
        assertInvalid("mutations[0] has no put", () -> RequestValidator.checkMutations(
                List.of(Mutation.getDefaultInstance()), true));
        assertInvalid("at least one mutation", () -> RequestValidator.checkMutations(List.of(), true));
    }

    @Test
    void mutationsBreakingALimitAreRefusedNamingTheLimit() {
        LimitViolation key = assertLimit("KEY_BYTES", "mutations[0].put.key", () -> RequestValidator.checkMutations(
                List.of(put(bytes("k".repeat(481)), bytes("v"))), true));
        assertEquals(480, key.getMaximum());
        assertEquals(481, key.getActual());
        assertLimit("VALUE_BYTES", "mutations[0].put.value", () -> RequestValidator.checkMutations(
                List.of(put(bytes("k"), ByteString.copyFrom(new byte[(1 << 20) + 1]))), true));
        List<Mutation> many = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            many.add(put(bytes("k" + i), ByteString.EMPTY));
        }
        assertLimit("BATCH_MUTATIONS", "mutations", () -> RequestValidator.checkMutations(many, true));
        List<Mutation> heavy = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            heavy.add(put(bytes("k" + i), ByteString.copyFrom(new byte[1 << 20])));
        }
        LimitViolation bytes = assertLimit("BATCH_BYTES", "mutations", () -> RequestValidator.checkMutations(heavy, true));
        assertEquals(32L << 20, bytes.getMaximum());
    }

    @Test
    void readsNeedExactlyOneOfKeysAndRange() {
        assertInvalid("a read needs keys or a range", () -> RequestValidator.checkRead(
                ReadRequest.getDefaultInstance(), false));
        assertInvalid("not both", () -> RequestValidator.checkRead(ReadRequest.newBuilder().addKeys(bytes("a"))
                .setRange(KeyRange.getDefaultInstance()).build(), false));
        assertDoesNotThrow(() -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .setRange(KeyRange.getDefaultInstance()).build(), false));
        assertDoesNotThrow(() -> RequestValidator.checkRead(ReadRequest.newBuilder().addKeys(bytes("a")).build(), false));
    }

    @Test
    void readsWithBadKeysRangesLimitsOrResumeKeysAreRefused() {
        assertInvalid("keys[1] is empty", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .addKeys(bytes("a")).addKeys(ByteString.EMPTY).build(), false));
        assertLimit("KEY_BYTES", "keys[0]", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .addKeys(bytes("k".repeat(481))).build(), false));
        assertInvalid("range is empty or inverted", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .setRange(KeyRange.newBuilder().setStart(bytes("b")).setEnd(bytes("a"))).build(), false));
        assertInvalid("limit must not be negative", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .addKeys(bytes("a")).setLimit(-1).build(), false));
        assertLimit("SCAN_ROWS", "limit", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .setRange(KeyRange.getDefaultInstance()).setLimit(10_001).build(), false));
        assertDoesNotThrow(() -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .setRange(KeyRange.getDefaultInstance()).setLimit(1_000_000).build(), true));
        assertInvalid("outside range", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .setRange(KeyRange.newBuilder().setStart(bytes("b")).setEnd(bytes("d"))).setResumeKey(bytes("e"))
                .build(), false));
        assertInvalid("range reads only", () -> RequestValidator.checkRead(ReadRequest.newBuilder()
                .addKeys(bytes("a")).setResumeKey(bytes("a")).build(), false));
    }

    @Test
    void boundsWithNegativeTimesAreRefused() {
        assertInvalid("single_use.exact_staleness_micros", () -> RequestValidator.checkBound(
                TimestampBound.newBuilder().setExactStalenessMicros(-5).build(), "single_use"));
        assertInvalid("bound.read_timestamp", () -> RequestValidator.checkBound(TimestampBound.newBuilder()
                .setReadTimestamp(Timestamp.newBuilder().setMicros(-1)).build(), "bound"));
        assertDoesNotThrow(() -> RequestValidator.checkBound(TimestampBound.newBuilder().setStrong(true).build(), "b"));
    }
}
