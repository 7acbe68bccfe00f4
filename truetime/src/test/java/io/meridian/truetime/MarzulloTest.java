package io.meridian.truetime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Shows Marzullo's agreement: the smallest interval holding every instant a strict majority of
// the configured sources agree on, which sources are rejected as liars, a clear NoMajority when
// fewer than a majority agree, touching endpoints counting as agreement, and, in a seeded
// randomized test, that the sweep matches a brute-force count over every instant.
class MarzulloTest {

    private static MasterReading reading(String id, long earliest, long latest) {
        return new MasterReading(id, new TTInterval(earliest, latest));
    }

    @Test
    void allAgreeGivesTheMajorityHullAndRejectsNobody() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("b", 12, 22), reading("c", 14, 24)));

        // Any two of three are a majority: [12, 22] holds every instant two sources share.
        assertEquals(new Marzullo.Agreed(new TTInterval(12, 22), 3, 3, List.of()), result);
    }

    @Test
    void oneLiarAmongThreeIsRejectedByName() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("liar", 1_000, 1_010), reading("c", 12, 22)));

        assertEquals(new Marzullo.Agreed(new TTInterval(12, 20), 2, 3, List.of("liar")), result);
    }

    @Test
    void twoColludingLiarsAmongFiveAreRejectedByName() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("liar1", 1_000, 1_010), reading("b", 12, 22),
                reading("liar2", 1_005, 1_015), reading("c", 15, 25)));

        assertEquals(new Marzullo.Agreed(new TTInterval(15, 20), 3, 5, List.of("liar1", "liar2")), result);
    }

    @Test
    void aMinorityOverlappingHonestSourcesCannotPullTheIntervalOffTrueTime() {
        // True time is 45: inside a, b and c. The two liars overlap a and b at [60, 70], where
        // four sources agree. Classic Marzullo would answer [60, 70] and lose true time.
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 0, 100), reading("b", 0, 100), reading("c", 40, 50),
                reading("liar1", 60, 70), reading("liar2", 60, 70)));

        assertEquals(new Marzullo.Agreed(new TTInterval(40, 70), 4, 5, List.of()), result);
    }

    @Test
    void twoAgainstTwoIsNoMajority() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("b", 11, 21), reading("c", 100, 110), reading("d", 101, 111)));

        assertEquals(new Marzullo.NoMajority(2, 3, 4), result);
    }

    @Test
    void threeDisjointIsNoMajority() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("b", 30, 40), reading("c", 50, 60)));

        assertEquals(new Marzullo.NoMajority(1, 2, 3), result);
    }

    @Test
    void silentSourcesCountTowardsTheMajority() {
        List<MasterReading> twoAgree = List.of(reading("a", 10, 20), reading("b", 15, 25));

        assertEquals(new Marzullo.Agreed(new TTInterval(15, 20), 2, 3, List.of()), Marzullo.agree(twoAgree, 3));
        assertEquals(new Marzullo.NoMajority(2, 3, 5), Marzullo.agree(twoAgree, 5));
        assertEquals(new Marzullo.NoMajority(0, 2, 3), Marzullo.agree(List.of(), 3));
    }

    @Test
    void touchingEndpointsAgreeOnThatInstant() {
        Marzullo.Result result = Marzullo.agree(List.of(
                reading("a", 10, 20), reading("b", 20, 30), reading("liar", 50, 60)));

        assertEquals(new Marzullo.Agreed(new TTInterval(20, 20), 2, 3, List.of("liar")), result);
    }

    @Test
    void aSingleSourceIsItsOwnMajority() {
        assertEquals(new Marzullo.Agreed(new TTInterval(5, 9), 1, 1, List.of()),
                Marzullo.agree(List.of(reading("only", 5, 9))));
    }

    @Test
    void sweepMatchesBruteForceOnRandomIntervals() {
        TestSeed seed = TestSeed.of("MarzulloTest");
        Random random = seed.random();
        for (int round = 0; round < 20_000; round++) {
            int answering = random.nextInt(8);
            int sourceCount = Math.max(1, answering + random.nextInt(3));
            List<MasterReading> readings = new ArrayList<>();
            for (int i = 0; i < answering; i++) {
                int start = random.nextInt(40);
                readings.add(reading("s" + i, start, start + random.nextInt(20)));
            }
            assertEquals(bruteForce(readings, sourceCount), Marzullo.agree(readings, sourceCount),
                    "seed " + seed.value() + ", round " + round + ", readings " + readings + ", sourceCount " + sourceCount);
        }
    }

    /** The definition, instant by instant (all endpoints are integers in [0, 60)). */
    private static Marzullo.Result bruteForce(List<MasterReading> readings, int sourceCount) {
        int required = sourceCount / 2 + 1;
        int[] coverage = new int[60];
        int largest = 0;
        long first = -1;
        long last = -1;
        for (int x = 0; x < coverage.length; x++) {
            for (MasterReading reading : readings) {
                if (reading.interval().contains(x)) {
                    coverage[x]++;
                }
            }
            largest = Math.max(largest, coverage[x]);
            if (coverage[x] >= required) {
                first = first < 0 ? x : first;
                last = x;
            }
        }
        if (first < 0) {
            return new Marzullo.NoMajority(largest, required, sourceCount);
        }
        List<String> rejected = new ArrayList<>();
        for (MasterReading reading : readings) {
            boolean touches = false;
            for (long x = reading.interval().earliestMicros(); x <= reading.interval().latestMicros(); x++) {
                touches |= coverage[(int) x] >= required;
            }
            if (!touches) {
                rejected.add(reading.masterId());
            }
        }
        return new Marzullo.Agreed(new TTInterval(first, last), largest, sourceCount, rejected);
    }
}
