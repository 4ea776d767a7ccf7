package org.darkscope.metric;

/**
 * The receiver operating characteristic of an anomaly score: signal efficiency (true-positive
 * rate) against background efficiency (false-positive rate) as the threshold falls from the
 * highest score to the lowest. Events with equal scores enter together, so the curve, its area
 * and every efficiency read from it are independent of the order of the input; a tie between
 * signal and background is a straight segment, i.e. counts one half in the area.
 *
 * <p>Points run from (0, 0) to (1, 1); {@code threshold[i]} is the score at and above which
 * events are selected to reach point {@code i} (point 0 has threshold +infinity).
 */
public final class RocCurve {
    /** The points, read in place by {@link AsymptoticErrors} (never written after construction). */
    final double[] backgroundEfficiency;
    final double[] signalEfficiency;
    private final double[] threshold;
    private final long backgroundEvents;
    private final long signalEvents;
    /** The background events that resolve an efficiency: their number, or Kish's effective number where weighted. */
    private final double effectiveBackgroundEvents;

    private RocCurve(double[] fpr, double[] tpr, double[] threshold, long backgroundEvents, long signalEvents,
                     double effectiveBackgroundEvents) {
        this.backgroundEfficiency = fpr;
        this.signalEfficiency = tpr;
        this.threshold = threshold;
        this.backgroundEvents = backgroundEvents;
        this.signalEvents = signalEvents;
        this.effectiveBackgroundEvents = effectiveBackgroundEvents;
    }

    /** The unweighted curve: every event counts once. */
    public static RocCurve of(float[] background, float[] signal) {
        return of(background, null, signal, null);
    }

    /**
     * The curve with event weights ({@code null} means every event counts once). Weights must be
     * finite, and each sample must have positive total weight; a negative weight (an NLO generator's)
     * counts against its sample, and the curve's efficiencies need then not grow monotonically.
     */
    public static RocCurve of(float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights) {
        return of(Ranking.of(background, backgroundWeights, signal, signalWeights), backgroundWeights, signalWeights);
    }

    /** The curve of a checked {@code ranking} with its events' weights ({@code null}: every event counts once). */
    static RocCurve of(Ranking ranking, double[] backgroundWeights, double[] signalWeights) {
        double[] groupB = new double[ranking.groups];
        double[] groupS = new double[ranking.groups];
        ranking.sum(backgroundWeights, signalWeights, null, null, groupB, groupS);
        return ofGroups(ranking.groupScore, groupB, groupS, ranking.groups, ranking.backgroundEvents, ranking.signalEvents,
                Evaluation.effectiveEvents(backgroundWeights, ranking.backgroundEvents));
    }

    /**
     * Builds the curve from scores already grouped: for each distinct score, in decreasing
     * order, the background and signal weight at that score (as a distributed sort-and-merge
     * produces them). Gives exactly the curve {@link #of} gives for the same events.
     */
    public static RocCurve fromGroups(java.util.Iterator<double[]> descendingGroups, long backgroundEvents, long signalEvents) {
        return fromGroups(descendingGroups, backgroundEvents, signalEvents, backgroundEvents);
    }

    /**
     * {@link #fromGroups(java.util.Iterator, long, long)} for weighted events, whose background resolves
     * efficiencies as {@code effectiveBackgroundEvents} (Kish's effective number) events would.
     */
    public static RocCurve fromGroups(java.util.Iterator<double[]> descendingGroups, long backgroundEvents, long signalEvents,
                                      double effectiveBackgroundEvents) {
        // straight into three growing arrays (24 bytes a group), not a list of the groups' own arrays
        // (by the JVM's layout a 40-byte object and its reference more per group): on Spark's driver
        // there is one group per distinct score
        double[] score = new double[1024];
        double[] background = new double[1024];
        double[] signal = new double[1024];
        int n = 0;
        double previous = Double.POSITIVE_INFINITY;
        while (descendingGroups.hasNext()) {
            double[] g = descendingGroups.next(); // {score, background weight, signal weight}
            if (!(g[0] < previous)) {
                throw new IllegalArgumentException("score groups must be distinct and in decreasing order");
            }
            previous = g[0];
            if (n == score.length) {
                int grown = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, n + (long) (n >> 1)));
                score = java.util.Arrays.copyOf(score, grown);
                background = java.util.Arrays.copyOf(background, grown);
                signal = java.util.Arrays.copyOf(signal, grown);
            }
            score[n] = g[0];
            background[n] = g[1];
            signal[n] = g[2];
            n++;
        }
        return ofGroups(score, background, signal, n, backgroundEvents, signalEvents, effectiveBackgroundEvents);
    }

    /**
     * The curve of the first {@code n} groups of distinct decreasing scores {@code score}, with
     * their background and signal weights (a group of no weight adds a point where the previous
     * one lies, which changes nothing read from the curve).
     */
    static RocCurve ofGroups(double[] score, double[] background, double[] signal, int n, long backgroundEvents, long signalEvents,
                             double effectiveBackgroundEvents) {
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        if (!points(background, signal, n, fpr, tpr)) {
            throw new IllegalArgumentException("background and signal need positive total weight");
        }
        double[] thr = new double[n + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        System.arraycopy(score, 0, thr, 1, n);
        return new RocCurve(fpr, tpr, thr, backgroundEvents, signalEvents, effectiveBackgroundEvents);
    }

    /**
     * The curve's points from the first {@code n} groups' background and signal weights, into
     * {@code fpr} and {@code tpr} (n + 1 points from (0, 0) to (1, 1): a partial sum of weights that
     * are not negative never exceeds their total, and the last is it); false, and nothing written,
     * where the background or the signal has no positive total weight.
     */
    static boolean points(double[] background, double[] signal, int n, double[] fpr, double[] tpr) {
        double totalB = 0;
        double totalS = 0;
        for (int i = 0; i < n; i++) {
            totalB += background[i];
            totalS += signal[i];
        }
        if (!(totalB > 0) || !(totalS > 0)) {
            return false;
        }
        fpr[0] = 0;
        tpr[0] = 0;
        double cumB = 0;
        double cumS = 0;
        for (int i = 0; i < n; i++) {
            cumB += background[i];
            cumS += signal[i];
            fpr[i + 1] = cumB / totalB;
            tpr[i + 1] = cumS / totalS;
        }
        return true;
    }

    /** Background efficiencies of the points, from 0 to 1, increasing where no weight is negative. */
    public double[] backgroundEfficiencies() {
        return backgroundEfficiency.clone();
    }

    /** Signal efficiencies of the points, from 0 to 1, increasing where no weight is negative. */
    public double[] signalEfficiencies() {
        return signalEfficiency.clone();
    }

    /** Score thresholds of the points (selected: score >= threshold). */
    public double[] thresholds() {
        return threshold.clone();
    }

    /** Number of background events the curve was made from. */
    public long backgroundEvents() {
        return backgroundEvents;
    }

    /** Number of signal events the curve was made from. */
    public long signalEvents() {
        return signalEvents;
    }

    /** Area under the curve: P(signal score > background score) + P(equal) / 2. */
    public double auc() {
        return area(backgroundEfficiency, signalEfficiency, backgroundEfficiency.length);
    }

    /** The area under the first {@code points} points of a curve. */
    static double area(double[] fpr, double[] tpr, int points) {
        double area = 0;
        for (int i = 1; i < points; i++) {
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return area;
    }

    /**
     * Signal efficiency at background efficiency {@code epsB}, the threshold taken on the
     * background score distribution: the curve interpolated linearly at {@code epsB}. Between
     * two background events (and across ties) this is the efficiency of a threshold that selects
     * the boundary events with the probability that gives exactly {@code epsB}. Where negative
     * weights make the background efficiency fall and rise again, the threshold is the highest that
     * reaches {@code epsB}: the curve's first crossing of it.
     */
    public double signalEfficiencyAt(double epsB) {
        return efficiencyAt(backgroundEfficiency, signalEfficiency, backgroundEfficiency.length, epsB);
    }

    /** {@link #signalEfficiencyAt} on the first {@code points} points of a curve. */
    static double efficiencyAt(double[] fpr, double[] tpr, int points, double epsB) {
        if (epsB <= 0) {
            return tpr[firstPointAbove(fpr, points, 0) - 1];
        }
        int k = firstPointAbove(fpr, points, epsB - 1e-15);
        if (k >= points) {
            return 1.0;
        }
        double x0 = fpr[k - 1];
        double x1 = fpr[k];
        double y0 = tpr[k - 1];
        double y1 = tpr[k];
        return y0 + (y1 - y0) * (epsB - x0) / (x1 - x0);
    }

    /**
     * Whether the threshold at {@code epsB} falls on a score that background and signal events
     * share: {@code epsB} lies strictly inside the curve's step of one score, and signal as well as
     * background events have it. {@link #signalEfficiencyAt} is then the efficiency of a threshold
     * that keeps a random share of that score's events, which no cut on the score gives: a cut
     * keeps all of them or none.
     */
    public boolean onSharedScore(double epsB) {
        if (epsB <= 0) {
            return false;
        }
        int points = backgroundEfficiency.length;
        int k = firstPointAbove(backgroundEfficiency, points, epsB - 1e-15);
        return k < points && epsB - backgroundEfficiency[k - 1] > INSIDE && backgroundEfficiency[k] - epsB > INSIDE
                && signalEfficiency[k] > signalEfficiency[k - 1];
    }

    /** How far inside a step {@code epsB} must lie for {@link #onSharedScore} (at its ends the efficiency is a cut's). */
    private static final double INSIDE = 1e-12;

    /** Index of the first of the first {@code points} points whose background efficiency exceeds {@code x} (in the curve's order: its first crossing). */
    private static int firstPointAbove(double[] fpr, int points, double x) {
        int k = 1;
        while (k < points && fpr[k] <= x) {
            k++;
        }
        return k;
    }

    /**
     * Whether {@code epsB} is resolved by the background sample, i.e. at least one background
     * event lies above the threshold: epsB N at least 1, N the background's events or, weighted,
     * Kish's effective number of them (a sample of very unequal or signed weights resolves less than
     * its count). Below that, efficiencies are interpolated between the curve's start and its first
     * background event and carry no real information.
     */
    public boolean resolves(double epsB) {
        return resolves(epsB, effectiveBackgroundEvents);
    }

    /** Whether {@code backgroundEvents} (effective) events resolve {@code epsB} ({@link #resolves(double)}), to rounding. */
    static boolean resolves(double epsB, double backgroundEvents) {
        return epsB * backgroundEvents >= 1 - 1e-9;
    }

    /**
     * The maximum over the curve of the significance improvement eps_S / sqrt(eps_B), over the
     * points whose eps_B the background resolves ({@link #resolves(double)}: at least one event's
     * share of it selected, effective where weighted; unweighted, every point with a background event
     * selected): a weighted eps_B below that, an event of small weight or weights of both signs that
     * nearly cancel, says nothing of the background's rate there.
     */
    public double maxSignificanceImprovement() {
        double best = 0;
        for (int i = 1; i < backgroundEfficiency.length; i++) {
            if (resolves(backgroundEfficiency[i])) {
                best = Math.max(best, signalEfficiency[i] / Math.sqrt(backgroundEfficiency[i]));
            }
        }
        return best;
    }
}
