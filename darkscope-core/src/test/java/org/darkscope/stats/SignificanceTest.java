package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignificanceTest {
    @Test
    void poissonLimitWorkedByHand() {
        // P(N >= 8 | b = 3) = 1 - e^-3 (1 + 3 + 9/2 + 27/6 + 81/24 + 243/120 + 729/720 + 2187/5040)
        double cdf7 = Math.exp(-3) * (1 + 3 + 4.5 + 4.5 + 3.375 + 2.025 + 1.0125 + 2187.0 / 5040);
        assertEquals(1 - cdf7, Significance.pValue(8, 3.0, 0.0), 1e-12);
        assertEquals(1 - Math.exp(-3), Significance.pValue(1, 3.0, 0.0), 1e-12);
        assertEquals(1.0, Significance.pValue(0, 3.0, 1.0));
    }

    /**
     * Z_Bi equals the Poisson-Gamma hybrid with a flat prior (Cousins, Linnemann, Tucker 2008,
     * Sect. 3): the Poisson tail averaged over the posterior of b from an off measurement with
     * n_off = b tau counts, Gamma(n_off + 1, rate tau). Checked against numerical integration.
     */
    @Test
    void zBiEqualsThePoissonGammaHybridByNumericalIntegration() {
        double[][] cases = {{10, 4.0, 1.5}, {25, 12.0, 3.0}, {5, 1.2, 0.6}, {140, 100, 10}};
        for (double[] c : cases) {
            long n = (long) c[0];
            double b = c[1];
            double sigma = c[2];
            double tau = b / (sigma * sigma);
            double nOff = b * tau;
            // integrate P(N >= n | mu) * Gamma(mu; nOff + 1, tau) d mu with the trapezoid rule
            double upper = (nOff + 1) / tau + 40 * Math.sqrt(nOff + 1) / tau;
            int steps = 200_000;
            double h = upper / steps;
            double sum = 0;
            double logNorm = (nOff + 1) * Math.log(tau) - org.apache.commons.numbers.gamma.LogGamma.value(nOff + 1);
            for (int i = 1; i <= steps; i++) {
                double mu = i * h;
                double density = Math.exp(logNorm + nOff * Math.log(mu) - tau * mu);
                double tail = Significance.poissonTail(n, mu);
                sum += (i == steps ? 0.5 : 1.0) * density * tail;
            }
            double hybrid = sum * h;
            assertEquals(hybrid, Significance.pValue(n, b, sigma), 1e-6 + 1e-4 * hybrid, "n=" + n + " b=" + b + " sigma=" + sigma);
        }
    }

    @Test
    void uncertaintyLowersSignificanceAndZMatchesTheNormalTail() {
        assertTrue(Significance.pValue(20, 10, 3) > Significance.pValue(20, 10, 0));
        assertEquals(3.0, Significance.z(Significance.p(3.0)), 1e-9);
        assertEquals(0.0013498980316301, Significance.p(3.0), 1e-12);
        assertEquals(0.0, Significance.z(0.7));
    }
}
