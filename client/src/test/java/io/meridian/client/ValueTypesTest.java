package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Shows the contracts of the SDK's value types: key spans in unsigned byte order (prefix spans
 * included), timestamps as microseconds, options and bounds validated, and their wire form.
 */
class ValueTypesTest {

    private static ByteString bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteString.copyFrom(b);
    }

    @Test
    void prefixSpanCoversExactlyTheKeysWithThePrefix() {
        KeySpan span = KeySpan.prefix("user/");

        assertEquals(ByteString.copyFromUtf8("user0"), span.end());
        assertTrue(span.contains(ByteString.copyFromUtf8("user/")));
        assertTrue(span.contains(ByteString.copyFromUtf8("user/zzz")));
        assertFalse(span.contains(ByteString.copyFromUtf8("user0")));
        assertFalse(span.contains(ByteString.copyFromUtf8("use")));
    }

    @Test
    void prefixEndingInFfBytesCarriesOver() {
        assertEquals(bytes(0x02), KeySpan.prefix(bytes(0x01, 0xff, 0xff)).end());
        assertEquals(ByteString.EMPTY, KeySpan.prefix(bytes(0xff)).end(), "runs to the end of the keyspace");
        assertTrue(KeySpan.all().contains(bytes(0xff, 0xff)));
    }

    @Test
    void spansOrderKeysAsUnsignedBytes() {
        KeySpan span = KeySpan.of(bytes(0x10), bytes(0x90));

        assertTrue(span.contains(bytes(0x80)), "0x80 is above 0x10 unsigned");
        assertThrows(IllegalArgumentException.class, () -> KeySpan.of("b", "a"));
        assertThrows(IllegalArgumentException.class, () -> KeySpan.of("a", "a"));
    }

    @Test
    void timestampsAreMicrosecondsSinceTheEpoch() {
        Instant instant = Instant.parse("2026-01-01T00:00:00.000001Z");
        Timestamp ts = Timestamp.ofInstant(instant);

        assertEquals(instant, ts.toInstant());
        assertEquals(1_767_225_600_000_001L, ts.micros());
        assertTrue(ts.compareTo(Timestamp.ofMicros(ts.micros() + 1)) < 0);
        assertThrows(IllegalArgumentException.class, () -> Timestamp.ofMicros(-1));
    }

    @Test
    void boundsAndOptionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> TimestampBound.maxStaleness(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults().withPageSize(0));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults().withPageSize(1_001));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults().withLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> Mutation.put("", "v"));
    }

    @Test
    void boundsAndMutationsHaveTheirWireForm() {
        assertEquals(1_500, WireFormat.bound(TimestampBound.exactStaleness(Duration.ofNanos(1_500_999)))
                .getExactStalenessMicros());
        assertEquals(7, WireFormat.bound(TimestampBound.minReadTimestamp(Timestamp.ofMicros(7)))
                .getMinReadTimestamp().getMicros());
        assertTrue(WireFormat.bound(TimestampBound.strong()).getStrong());
        var range = WireFormat.mutation(Mutation.deleteRange(KeySpan.prefix("p"))).getDeleteRange().getRange();
        assertEquals("p", range.getStart().toStringUtf8());
        assertEquals("q", range.getEnd().toStringUtf8());
    }
}
