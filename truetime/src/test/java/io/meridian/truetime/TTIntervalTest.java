package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

// Shows the interval's arithmetic: ε rounds up and never overflows (even for UNBOUNDED),
// after/before are strict, and UNBOUNDED makes nothing certain.
class TTIntervalTest {

    @Test
    void epsilonIsHalfTheWidthRoundedUp() {
        assertEquals(5, new TTInterval(100, 110).epsilonMicros());
        assertEquals(6, new TTInterval(100, 111).epsilonMicros());
        assertEquals(0, new TTInterval(7, 7).epsilonMicros());
        assertEquals(Long.MAX_VALUE / 2 + 1, TTInterval.UNBOUNDED.epsilonMicros());
    }

    @Test
    void afterAndBeforeAreStrict() {
        TTInterval interval = new TTInterval(100, 110);
        assertTrue(interval.after(Timestamp.ofMicros(99)));
        assertFalse(interval.after(Timestamp.ofMicros(100)));
        assertTrue(interval.before(Timestamp.ofMicros(111)));
        assertFalse(interval.before(Timestamp.ofMicros(110)));
        assertTrue(interval.contains(100) && interval.contains(110) && !interval.contains(111));
    }

    @Test
    void unboundedMakesNothingCertain() {
        assertFalse(TTInterval.UNBOUNDED.after(Timestamp.MIN));
        assertFalse(TTInterval.UNBOUNDED.before(Timestamp.MAX));
    }

    @Test
    void rejectsMalformedIntervals() {
        assertThrows(IllegalArgumentException.class, () -> new TTInterval(10, 9));
        assertThrows(IllegalArgumentException.class, () -> new TTInterval(-1, 9));
        assertThrows(IllegalArgumentException.class, () -> TTInterval.around(100, -1));
    }
}
