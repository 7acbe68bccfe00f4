package io.meridian.storage;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows the value rules of the storage API: span bounds (empty end = unbounded, unsigned
 * byte order), span list checks, how a scan's resume key turns into the remaining span in
 * each direction, and how keys are rendered in messages.
 */
class KeySpanTest {

    private static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void containsUsesUnsignedOrderAndAnEmptyEndMeansUnbounded() {
        KeySpan span = new KeySpan(bytes("a"), bytes("b"));
        assertTrue(span.contains(bytes("a")));
        assertTrue(span.contains(bytes("a\u00ff")));
        assertFalse(span.contains(bytes("b")));
        assertTrue(KeySpan.from(bytes("\u0080")).contains(bytes("\u00ff\u00ff")));
        assertFalse(KeySpan.from(bytes("\u0080")).contains(bytes("\u007f")));
        assertTrue(KeySpan.ALL.contains(bytes("\0")));
    }

    @Test
    void boundedSpanMustNotBeEmptyOrInverted() {
        assertThrows(IllegalArgumentException.class, () -> new KeySpan(bytes("b"), bytes("b")));
        assertThrows(IllegalArgumentException.class, () -> new KeySpan(bytes("b"), bytes("a")));
        assertThrows(IllegalArgumentException.class, () -> new Mutation.DeleteRange(bytes("b"), bytes("a")));
    }

    @Test
    void spanListsMustBeSortedAndDisjointAndAdjacentSpansJoin() {
        KeySpan ab = new KeySpan(bytes("a"), bytes("b"));
        KeySpan bc = new KeySpan(bytes("b"), bytes("c"));
        assertEquals(List.of(ab, bc), KeySpan.requireSortedDisjoint(List.of(ab, bc)));
        assertThrows(IllegalArgumentException.class, () -> KeySpan.requireSortedDisjoint(List.of(bc, ab)));
        assertThrows(IllegalArgumentException.class, () -> KeySpan.requireSortedDisjoint(List.of(KeySpan.ALL, ab)));
        assertThrows(IllegalArgumentException.class, () -> KeySpan.requireSortedDisjoint(List.of()));

        assertTrue(KeySpan.unionEncloses(List.of(ab, bc), new KeySpan(bytes("a\0"), bytes("b\0"))));
        assertFalse(KeySpan.unionEncloses(List.of(ab), new KeySpan(bytes("a\0"), bytes("b\0"))));
        assertTrue(KeySpan.ALL.encloses(KeySpan.from(bytes("x"))));
        assertFalse(ab.encloses(KeySpan.from(bytes("a"))));
    }

    @Test
    void remainderContinuesAfterTheResumeKeyInEitherDirection() {
        KeySpan scanned = new KeySpan(bytes("a"), bytes("z"));
        ScanResult page = new ScanResult(List.of(), Optional.of(bytes("m")));

        assertEquals(Optional.of(new KeySpan(bytes("m"), bytes("z"))), page.remainder(scanned, ScanDirection.FORWARD));
        assertEquals(Optional.of(new KeySpan(bytes("a"), bytes("m"))), page.remainder(scanned, ScanDirection.REVERSE));
        assertEquals(Optional.empty(), new ScanResult(List.of(), Optional.empty()).remainder(scanned, ScanDirection.FORWARD));
    }

    @Test
    void keysAreDescribedReadablyAndCut() {
        assertEquals("\"a\\x00\\xff\"", Keys.describe(bytes("a\0\u00ff")));
        assertTrue(Keys.describe(bytes("k".repeat(100))).endsWith("...(100 bytes)"));
    }
}
