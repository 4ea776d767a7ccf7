package org.darkscope.stats;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Significance of a count over an uncertain background, and conversions between p-values and Z.
 *
 * <p>darkscope uses Z_Bi of R. D. Cousins, J. T. Linnemann and J. Tucker, "Evaluation of three
 * methods for calculating statistical significance when incorporating a systematic uncertainty
 * into a test of the background-only hypothesis for a Poisson process", NIM A 595 (2008) 480,
 * arXiv:physics/0702156. A background b with uncertainty sigma_b is read as an auxiliary
 * ("off") measurement with tau = b / sigma_b^2 and n_off = b tau; the p-value of n observed
 * events is the binomial tail p = I_{1/(1+tau)}(n, n_off + 1) (regularised incomplete beta
 * function), which is also the Poisson-Gamma hybrid with a flat prior on b (their Sect. 3). As
 * sigma_b goes to zero it becomes the plain Poisson tail P(N >= n | b).
 */
public final class Significance {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    /** Relative background uncertainty below which the Poisson limit is used. */
    private static final double POISSON_LIMIT = 1e-9;

    private Significance() {
    }

    /**
     * The Z_Bi p-value of observing {@code observed} or more events over background
     * {@code expected} +- {@code uncertainty}. 1 when nothing is observed.
     */
    public static double pValue(long observed, double expected, double uncertainty) {
        if (!(expected >= 0) || !(uncertainty >= 0)) {
            throw new IllegalArgumentException("background " + expected + " +- " + uncertainty + " must be non-negative");
        }
        if (observed <= 0) {
            return 1.0;
        }
        if (expected == 0) {
            return 0.0;
        }
        if (uncertainty <= POISSON_LIMIT * expected) {
            return poissonTail(observed, expected);
        }
        double tau = expected / (uncertainty * uncertainty);
        double nOff = expected * tau;
        return BetaDistribution.of(observed, nOff + 1).cumulativeProbability(1 / (1 + tau));
    }

    /** P(N >= n) for N Poisson with mean mu: the regularised lower incomplete gamma function P(n, mu). */
    static double poissonTail(long n, double mu) {
        return org.apache.commons.numbers.gamma.RegularizedGamma.P.value(n, mu);
    }

    /** The one-sided significance Z = Phi^-1(1 - p), 0 for p >= 0.5 by convention of a one-sided excess test. */
    public static double z(double p) {
        if (p >= 0.5) {
            return 0.0;
        }
        return STANDARD_NORMAL.inverseSurvivalProbability(Math.max(p, Double.MIN_NORMAL));
    }

    /** The p-value of a one-sided significance Z. */
    public static double p(double z) {
        return STANDARD_NORMAL.survivalProbability(z);
    }
}
