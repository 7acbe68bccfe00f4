package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.truetime.PeerCheckedTimeSource.PeerReading;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node checking its clock against its peers: agreement changes nothing, a minority of liars
 * changes nothing, a majority that disagrees widens ε until the interval holds their readings
 * (so TrueTime holds true time again) and the fence trips, too few answers change nothing, and agreement narrows it back;
 * a source built unchecked claims no time before its first check that a majority answer.
 */
class PeerCheckedTimeSourceTest {

    private static final long T = 1_700_000_000_000_000L;

    /** A local source whose interval is {@code [T + offset - 1000, T + offset + 1000]}. */
    private static PeerCheckedTimeSource source(long offsetMicros) {
        return new PeerCheckedTimeSource(() -> TTInterval.around(T + offsetMicros, 1_000));
    }

    /** A peer's reading around true time {@code T} (ε 1 ms, plus a 200 µs round trip). */
    private static PeerReading honest(String peer, PeerCheckedTimeSource source) {
        return new PeerReading(peer, new TTInterval(T - 1_000, T + 1_200), source.localNow());
    }

    @Test
    void agreementChangesNothing() {
        PeerCheckedTimeSource source = source(700);
        assertEquals(0, source.check(List.of(honest("a", source), honest("b", source)), 2));
        assertEquals(TTInterval.around(T + 700, 1_000), source.now());
    }

    @Test
    void aMajorityThatDisagreesWidensTheIntervalToReachTrueTimeAndTheFenceTrips() {
        PeerCheckedTimeSource source = source(50_000);
        long widen = source.check(List.of(honest("a", source), honest("b", source), honest("c", source)), 4);

        // The local interval starts at T + 49,000; the readings start at T - 1,000.
        assertEquals(50_000, widen);
        assertTrue(source.now().contains(T), "true time is back inside: " + source.now());
        EpsilonFence fence = new EpsilonFence(source, Duration.ofMillis(10));
        assertFalse(fence.status() instanceof FenceStatus.Serving, "ε " + source.now().epsilonMicros() + " µs");

        // The clock is put right: the next check narrows ε again.
        PeerCheckedTimeSource fixed = source(0);
        fixed.check(List.of(honest("a", fixed), honest("b", fixed), honest("c", fixed)), 4);
        assertEquals(0, fixed.widenMicros());
    }

    @Test
    void anUncheckedSourceClaimsNoTimeUntilAMajorityOfPeersHaveAnswered() {
        PeerCheckedTimeSource source = PeerCheckedTimeSource.unchecked(() -> TTInterval.around(T + 50_000, 1_000));
        assertEquals(TTInterval.UNBOUNDED, source.now());
        assertEquals(TTInterval.around(T + 50_000, 1_000), source.reading(), "what it tells its peers meanwhile");

        source.check(List.of(honest("a", source)), 3);
        assertFalse(source.checked(), "one of three peers is not a majority");
        assertEquals(TTInterval.UNBOUNDED, source.now());

        source.check(List.of(honest("a", source), honest("b", source)), 3);
        assertTrue(source.checked());
        assertTrue(source.now().contains(T), "checked and widened at once: " + source.now());
    }

    @Test
    void anUncheckedSourceWithNoPeersIsCheckedByItsFirstCheck() {
        PeerCheckedTimeSource source = PeerCheckedTimeSource.unchecked(() -> TTInterval.around(T, 1_000));
        source.check(List.of(), 0);
        assertEquals(TTInterval.around(T, 1_000), source.now());
    }

    @Test
    void aMinorityOfDisagreeingPeersChangesNothing() {
        PeerCheckedTimeSource source = source(0);
        PeerReading liar = new PeerReading("liar", new TTInterval(T + 90_000, T + 92_000), source.localNow());
        assertEquals(0, source.check(List.of(liar, honest("a", source), honest("b", source)), 3));
    }

    @Test
    void tooFewAnswersChangeNothing() {
        PeerCheckedTimeSource source = source(50_000);
        assertEquals(0, source.check(List.of(honest("a", source), honest("b", source)), 4),
                "2 of 4 peers are no majority");
        assertEquals(0, source.check(List.of(), 0), "a node alone is never judged");
    }
}
