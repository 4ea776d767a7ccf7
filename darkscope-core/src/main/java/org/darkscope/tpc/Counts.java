package org.darkscope.tpc;

import java.util.SplittableRandom;

/**
 * Random counts for the simulation: binomial, Poisson and normal draws, exact for small means and
 * normal approximations (rounded, clipped to the allowed range) where the mean and its
 * complement both exceed 25, where the approximation's error is far below the detector's own
 * resolution.
 */
final class Counts {
    private static final double EXACT_BELOW = 25;

    private Counts() {
    }

    static long binomial(long n, double p, SplittableRandom random) {
        if (n <= 0 || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        double mean = n * p;
        if (mean > EXACT_BELOW && n - mean > EXACT_BELOW) {
            long k = Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian(random));
            return Math.max(0, Math.min(n, k));
        }
        if (n < 1_000) {
            long k = 0;
            for (long i = 0; i < n; i++) {
                if (random.nextDouble() < p) {
                    k++;
                }
            }
            return k;
        }
        // a large n with a small mean (or a small complement): Poisson's limit
        return mean <= EXACT_BELOW ? Math.min(n, poisson(mean, random)) : n - Math.min(n, poisson(n - mean, random));
    }

    static long poisson(double mean, SplittableRandom random) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > EXACT_BELOW) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double limit = Math.exp(-mean); // Knuth's multiplication method
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** A multinomial draw of {@code n} among cells with probabilities {@code p} (summing to one), by successive binomials. */
    static long[] multinomial(long n, double[] p, SplittableRandom random) {
        long[] k = new long[p.length];
        long left = n;
        double mass = 1;
        for (int i = 0; i < p.length - 1 && left > 0; i++) {
            double q = mass > 0 ? Math.min(1, p[i] / mass) : 0;
            k[i] = binomial(left, q, random);
            left -= k[i];
            mass -= p[i];
        }
        k[p.length - 1] += left;
        return k;
    }

    /** A standard normal draw (Marsaglia's polar method). */
    static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
