package io.meridian.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The record choosers: always in range; Zipfian skewed like YCSB's, its hot records scattered. */
class KeyChooserTest {

    private static final int DRAWS = 200_000;

    @Test
    void zipfianRanksFallOffLikeOneOverRankAndTheHottestIsRankZero() {
        KeyChooser.ScrambledZipfian zipf = new KeyChooser.ScrambledZipfian(1_000);
        SplittableRandom random = new SplittableRandom(7);
        long[] counts = new long[1_000];
        for (int i = 0; i < DRAWS; i++) {
            counts[(int) zipf.rank(random)]++;
        }
        // P(rank r) is proportional to 1/(r+1)^0.99: rank 0 about twice rank 1 and ten times rank 9.
        double ratio01 = (double) counts[0] / counts[1];
        double ratio09 = (double) counts[0] / counts[9];
        assertTrue(ratio01 > 1.8 && ratio01 < 2.2, "rank 0 / rank 1 = " + ratio01);
        assertTrue(ratio09 > 8.5 && ratio09 < 11.5, "rank 0 / rank 9 = " + ratio09);
        // About 13 % of draws hit rank 0 over 1,000 records (1 / zeta(1000, 0.99)).
        double share0 = (double) counts[0] / DRAWS;
        assertTrue(share0 > 0.12 && share0 < 0.145, "share of rank 0 = " + share0);
    }

    @Test
    void scramblingSpreadsTheHotRecordsOverTheKeyspace() {
        KeyChooser zipf = new KeyChooser.ScrambledZipfian(10_000);
        SplittableRandom random = new SplittableRandom(11);
        long[] counts = new long[10_000];
        for (int i = 0; i < DRAWS; i++) {
            long record = zipf.next(random);
            assertTrue(record >= 0 && record < 10_000, "in range: " + record);
            counts[(int) record]++;
        }
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        long hottest = sorted[sorted.length - 1];
        int hottestRecord = 0;
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == hottest) {
                hottestRecord = r;
            }
        }
        assertTrue(hottest > DRAWS / 20, "one record is hot: " + hottest);
        assertTrue(hottestRecord != 0, "the hottest record is not the first one");
        // The ten hottest records are not neighbours packed at the start.
        long firstTen = Arrays.stream(counts, 0, 10).sum();
        assertTrue(firstTen < DRAWS / 5, "the first ten records got " + firstTen);
    }

    @Test
    void uniformCoversEveryRecordAndBadSizesAreRefused() {
        KeyChooser uniform = new KeyChooser.Uniform(10);
        SplittableRandom random = new SplittableRandom(3);
        long[] counts = new long[10];
        for (int i = 0; i < 10_000; i++) {
            counts[(int) uniform.next(random)]++;
        }
        assertEquals(10, Arrays.stream(counts).filter(c -> c > 800 && c < 1_200).count(), Arrays.toString(counts));
        assertThrows(IllegalArgumentException.class, () -> new KeyChooser.Uniform(0));
        assertThrows(IllegalArgumentException.class, () -> new KeyChooser.ScrambledZipfian(-1));
        assertEquals(0, new KeyChooser.ScrambledZipfian(1).next(random));
    }
}
