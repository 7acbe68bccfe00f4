package io.meridian.bench.load;

import java.util.SplittableRandom;

/**
 * Chooses which of {@code n} records an operation touches: uniformly, or with YCSB's scrambled
 * Zipfian skew (a few records are hot, and the hot ones are spread over the keyspace rather
 * than packed at its start). Each client thread uses its own random source; the choosers
 * themselves are immutable and shared.
 */
public sealed interface KeyChooser permits KeyChooser.Uniform, KeyChooser.ScrambledZipfian {

    /** A record number in {@code [0, n)}. */
    long next(SplittableRandom random);

    /** Every record equally likely. */
    record Uniform(long n) implements KeyChooser {

        public Uniform {
            if (n <= 0) {
                throw new IllegalArgumentException("a key chooser needs at least one record: " + n);
            }
        }

        @Override
        public long next(SplittableRandom random) {
            return random.nextLong(n);
        }
    }

    /**
     * Zipfian ranks (rank {@code r} drawn with probability proportional to {@code 1/(r+1)^θ},
     * θ = {@value #THETA} as in YCSB), generated in constant time by the method of Gray et al.,
     * "Quickly generating billion-record synthetic databases" (SIGMOD 1994); the rank is then
     * hashed onto the records so that hot records are not neighbours.
     */
    final class ScrambledZipfian implements KeyChooser {

        /** YCSB's skew constant. */
        public static final double THETA = 0.99;

        private final long n;
        private final double zetaN;
        private final double alpha;
        private final double eta;
        private final double halfPowTheta;

        public ScrambledZipfian(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("a key chooser needs at least one record: " + n);
            }
            this.n = n;
            this.zetaN = zeta(n);
            double zeta2 = zeta(Math.min(2, n));
            this.alpha = 1.0 / (1.0 - THETA);
            this.eta = n < 2 ? 1.0 : (1.0 - Math.pow(2.0 / n, 1.0 - THETA)) / (1.0 - zeta2 / zetaN);
            this.halfPowTheta = Math.pow(0.5, THETA);
        }

        /** {@code sum over i in [1, n] of 1 / i^θ}; O(n), computed once per chooser. */
        private static double zeta(long n) {
            double sum = 0;
            for (long i = 1; i <= n; i++) {
                sum += 1.0 / Math.pow(i, THETA);
            }
            return sum;
        }

        /** A Zipfian rank in {@code [0, n)}: 0 is the most likely. */
        long rank(SplittableRandom random) {
            double u = random.nextDouble();
            double uz = u * zetaN;
            if (uz < 1.0) {
                return 0;
            }
            if (uz < 1.0 + halfPowTheta) {
                return Math.min(1, n - 1);
            }
            long rank = (long) (n * Math.pow(eta * u - eta + 1.0, alpha));
            return Math.min(rank, n - 1);
        }

        @Override
        public long next(SplittableRandom random) {
            return Math.floorMod(fnv1a(rank(random)), n);
        }

        /** 64-bit FNV-1a over the eight bytes of {@code value}. */
        static long fnv1a(long value) {
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < 8; i++) {
                hash ^= (value >>> (8 * i)) & 0xff;
                hash *= 0x100000001b3L;
            }
            return hash;
        }
    }
}
