package org.darkscope.metric;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The statistical errors of the figures of merit that come from the finite samples judged: the
 * standard deviation of each figure over bootstrap replicates (Efron, Ann. Statist. 7 (1979) 1;
 * Efron and Tibshirani, <i>An Introduction to the Bootstrap</i>, 1993), the background and the
 * signal each resampled with replacement to their own size, so that the threshold read off the
 * background fluctuates as the signal efficiency does; above {@link #MAX_EVENTS} events, and on
 * Spark, which keeps no scores, the asymptotic formulas that the bootstrap approximates for large
 * samples ({@link AsymptoticErrors}: DeLong's variance of the AUC, the delta method for eps_S). It
 * does not contain the spread of training (another seed, another training sample): that is
 * measured by training again.
 *
 * @param auc              the standard error of the AUC
 * @param signalEfficiency the standard error of eps_S, keyed by the eps_B label ("1e-2", ...), at
 *                         the background efficiencies the background sample resolves only
 * @param method           how the errors were drawn
 */
public record StatisticalErrors(double auc, Map<String, Double> signalEfficiency, Method method) {
    /** How errors were drawn: from {@value #REPLICATES} bootstrap replicates, or by the asymptotic formulas. */
    public enum Method {
        BOOTSTRAP, ASYMPTOTIC;

        /** The name in JSON and tables: {@code bootstrap} or {@code asymptotic}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Replicates drawn: the error of a standard deviation from 200 of them is 5 % of it. */
    public static final int REPLICATES = 200;
    /**
     * The most events (background and signal together) the errors are drawn for: 200 replicates
     * take 3-4 s per million events on 2 cores (2 million: 12-15 s, and the whole runs in a
     * 400 MB heap); above it the asymptotic formulas, which the bootstrap approaches as samples
     * grow, take a fraction of a second.
     */
    public static final long MAX_EVENTS = 2_000_000;
    /** The replicates are drawn from a fixed seed: the same scores give the same errors. */
    private static final long SEED = 1979;

    public StatisticalErrors {
        signalEfficiency = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(signalEfficiency)); // in the order given
    }

    /**
     * The errors of the figures of merit of {@code signal} against {@code background} (weights
     * {@code null}: every event counts once), from {@value #REPLICATES} replicates. A replicate
     * whose resampled background or signal has no weight (possible only where weights are zero)
     * is left out.
     */
    public static StatisticalErrors bootstrap(float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights) {
        return draw(new Ranking[] {Ranking.of(background, backgroundWeights, signal, signalWeights)}, backgroundWeights, signalWeights);
    }

    /**
     * The errors of a checked ranking and its curve: from the bootstrap up to {@link #MAX_EVENTS}
     * events, by the asymptotic formulas above.
     */
    static StatisticalErrors of(Ranking ranking, RocCurve roc, double[] backgroundWeights, double[] signalWeights) {
        return affordable(ranking) ? draw(new Ranking[] {ranking}, backgroundWeights, signalWeights)
                : AsymptoticErrors.of(ranking, roc, backgroundWeights, signalWeights);
    }

    /**
     * The errors of a curve of unweighted events from the curve alone, by the asymptotic formulas:
     * what Spark, which keeps the groups of equal scores and not the scores, can give.
     */
    public static StatisticalErrors asymptotic(RocCurve roc) {
        return AsymptoticErrors.of(roc);
    }

    /**
     * The asymptotic errors of a curve of weighted events known only by their groups of equal score
     * (Spark's): per group, in the curve's order, its background and its signal weight squared over
     * the sample's total weight squared.
     */
    public static StatisticalErrors asymptotic(RocCurve roc, double[] backgroundSquares, double[] signalSquares) {
        int groups = roc.backgroundEfficiency.length - 1;
        if (backgroundSquares.length != groups || signalSquares.length != groups) {
            throw new IllegalArgumentException("squares for " + backgroundSquares.length + " and " + signalSquares.length
                    + " groups, the curve has " + groups);
        }
        return AsymptoticErrors.of(roc.backgroundEfficiency, roc.signalEfficiency, groups, backgroundSquares, signalSquares);
    }

    private static boolean affordable(Ranking ranking) {
        return (long) ranking.backgroundEvents + ranking.signalEvents <= MAX_EVENTS;
    }

    /**
     * The errors of the differences between two scores' figures of merit on the same events (A's
     * minus B's): the scores of A and of B of every background and signal event, in the same order,
     * resampled together, so that what the two scores share cancels (the paired bootstrap). The
     * error of a difference is far smaller than the two errors added in quadrature where the scores
     * agree on most events. Above {@link #MAX_EVENTS} events, the asymptotic formulas of the
     * difference (each event's influence on A's figure minus its influence on B's).
     */
    public static StatisticalErrors ofDifference(float[] backgroundA, float[] signalA, float[] backgroundB, float[] signalB,
                                                 double[] backgroundWeights, double[] signalWeights) {
        if (backgroundA.length != backgroundB.length || signalA.length != signalB.length) {
            throw new IllegalArgumentException("a paired difference needs the same events scored twice: " + backgroundA.length + " and "
                    + backgroundB.length + " background, " + signalA.length + " and " + signalB.length + " signal");
        }
        Ranking a = Ranking.of(backgroundA, backgroundWeights, signalA, signalWeights);
        Ranking b = Ranking.of(backgroundB, backgroundWeights, signalB, signalWeights);
        return affordable(a) ? draw(new Ranking[] {a, b}, backgroundWeights, signalWeights)
                : AsymptoticErrors.ofDifference(a, b, backgroundWeights, signalWeights);
    }

    /** The replicates of the figures of one ranking of the events, or of the difference between two rankings of them. */
    private static StatisticalErrors draw(Ranking[] rankings, double[] backgroundWeights, double[] signalWeights) {
        SplittableRandom root = new SplittableRandom(SEED);
        SplittableRandom[] randoms = new SplittableRandom[REPLICATES];
        for (int r = 0; r < REPLICATES; r++) {
            randoms[r] = root.split(); // in order: replicate r draws the same numbers on any number of threads
        }
        // only these have an error
        double[] epsB = FiguresOfMerit.resolvedBackgroundEfficiencies(Evaluation.effectiveEvents(backgroundWeights, rankings[0].backgroundEvents));
        double[][] figures = new double[REPLICATES][]; // {auc, eps_S at each eps_B}, null where left out
        int tasks = Math.min(REPLICATES, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, tasks).parallel().forEach(task -> {
            Replicate replicate = new Replicate(rankings[0].backgroundEvents, rankings[0].signalEvents);
            for (int r = task; r < REPLICATES; r += tasks) {
                replicate.draw(randoms[r]);
                double[] first = replicate.figures(rankings[0], backgroundWeights, signalWeights, epsB);
                for (int k = 1; k < rankings.length && first != null; k++) {
                    double[] other = replicate.figures(rankings[k], backgroundWeights, signalWeights, epsB);
                    for (int f = 0; f < first.length; f++) {
                        first[f] -= other[f];
                    }
                }
                figures[r] = first;
            }
        });
        double[][] kept = Arrays.stream(figures).filter(f -> f != null).toArray(double[][]::new);
        Map<String, Double> efficiency = new LinkedHashMap<>();
        for (int b = 0; b < epsB.length; b++) {
            efficiency.put(FiguresOfMerit.label(epsB[b]), standardDeviation(kept, 1 + b));
        }
        return new StatisticalErrors(standardDeviation(kept, 0), efficiency, Method.BOOTSTRAP);
    }

    private static double standardDeviation(double[][] rows, int column) {
        if (rows.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double[] row : rows) {
            mean += row[column];
        }
        mean /= rows.length;
        double sum = 0;
        for (double[] row : rows) {
            sum += (row[column] - mean) * (row[column] - mean);
        }
        return Math.sqrt(sum / (rows.length - 1));
    }

    /** One thread's replicate: how often each event was drawn, and the buffers of the curve's points. */
    private static final class Replicate {
        private final int[] countsB;
        private final int[] countsS;
        private final double[] groupB;
        private final double[] groupS;
        private final double[] fpr;
        private final double[] tpr;

        Replicate(int backgroundEvents, int signalEvents) {
            this.countsB = new int[backgroundEvents];
            this.countsS = new int[signalEvents];
            int n = backgroundEvents + signalEvents;
            this.groupB = new double[n];
            this.groupS = new double[n];
            this.fpr = new double[n + 1];
            this.tpr = new double[n + 1];
        }

        /** Draws the next replicate: as many events of each sample, with replacement, as it has; the same events for every ranking. */
        void draw(SplittableRandom random) {
            draw(countsB, random);
            draw(countsS, random);
        }

        private static void draw(int[] counts, SplittableRandom random) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < counts.length; i++) {
                counts[random.nextInt(counts.length)]++;
            }
        }

        /** {auc, eps_S at each of {@code epsB}} of the events drawn, ranked as {@code ranking}; null where a sample drew no weight. */
        double[] figures(Ranking ranking, double[] backgroundWeights, double[] signalWeights, double[] epsB) {
            ranking.sum(backgroundWeights, signalWeights, countsB, countsS, groupB, groupS);
            if (!RocCurve.points(groupB, groupS, ranking.groups, fpr, tpr)) {
                return null;
            }
            double[] figures = new double[1 + epsB.length];
            figures[0] = RocCurve.area(fpr, tpr, ranking.groups + 1);
            for (int b = 0; b < epsB.length; b++) {
                figures[1 + b] = RocCurve.efficiencyAt(fpr, tpr, ranking.groups + 1, epsB[b]);
            }
            return figures;
        }
    }
}
