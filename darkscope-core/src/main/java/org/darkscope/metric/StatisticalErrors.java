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
 * background fluctuates as the signal efficiency does. It does not contain the spread of training
 * (another seed, another training sample): that is measured by training again.
 *
 * @param auc              the standard error of the AUC
 * @param signalEfficiency the standard error of eps_S, keyed by the eps_B label ("1e-2", ...), at
 *                         the background efficiencies the background sample resolves only
 * @param replicates       the bootstrap replicates the errors come from
 */
public record StatisticalErrors(double auc, Map<String, Double> signalEfficiency, int replicates) {
    /** Replicates drawn: the error of a standard deviation from 200 of them is 5 % of it. */
    public static final int REPLICATES = 200;
    /**
     * The most events (background and signal together) the errors are drawn for: the replicates
     * hold about 40 bytes per event per core (4 million: 0.2 GB on 2 cores, a few seconds), and
     * beyond it the AUC's error is below 0.001.
     */
    public static final long MAX_EVENTS = 4_000_000;
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
        return draw(new float[][] {background}, backgroundWeights, new float[][] {signal}, signalWeights);
    }

    /**
     * The errors of the differences between two scores' figures of merit on the same events (A's
     * minus B's): the scores of A and of B of every background and signal event, in the same order,
     * resampled together, so that what the two scores share cancels (the paired bootstrap). The
     * error of a difference is far smaller than the two errors added in quadrature where the scores
     * agree on most events.
     */
    public static StatisticalErrors ofDifference(float[] backgroundA, float[] signalA, float[] backgroundB, float[] signalB,
                                                 double[] backgroundWeights, double[] signalWeights) {
        if (backgroundA.length != backgroundB.length || signalA.length != signalB.length) {
            throw new IllegalArgumentException("a paired difference needs the same events scored twice: " + backgroundA.length + " and "
                    + backgroundB.length + " background, " + signalA.length + " and " + signalB.length + " signal");
        }
        return draw(new float[][] {backgroundA, backgroundB}, backgroundWeights, new float[][] {signalA, signalB}, signalWeights);
    }

    /** The replicates of the figures of one pair of samples, or of the difference between two scorings of them. */
    private static StatisticalErrors draw(float[][] backgrounds, double[] backgroundWeights, float[][] signals, double[] signalWeights) {
        RocCurve full = RocCurve.of(backgrounds[0], backgroundWeights, signals[0], signalWeights); // checks scores and weights
        Sorted[] sorted = new Sorted[backgrounds.length];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = new Sorted(backgrounds[k], signals[k]);
        }
        SplittableRandom root = new SplittableRandom(SEED);
        SplittableRandom[] randoms = new SplittableRandom[REPLICATES];
        for (int r = 0; r < REPLICATES; r++) {
            randoms[r] = root.split(); // in order: replicate r draws the same numbers on any number of threads
        }
        double[] epsB = FiguresOfMerit.BACKGROUND_EFFICIENCIES.stream().mapToDouble(Double::doubleValue).toArray();
        double[][] figures = new double[REPLICATES][]; // {auc, eps_S at each eps_B}, null where left out
        int tasks = Math.min(REPLICATES, Runtime.getRuntime().availableProcessors());
        int nb = backgrounds[0].length;
        int ns = signals[0].length;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            Replicate replicate = new Replicate(nb, ns);
            for (int r = task; r < REPLICATES; r += tasks) {
                replicate.draw(randoms[r]);
                double[] first = replicate.figures(sorted[0], backgroundWeights, signalWeights, epsB);
                for (int k = 1; k < sorted.length && first != null; k++) {
                    double[] other = replicate.figures(sorted[k], backgroundWeights, signalWeights, epsB);
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
            if (full.resolves(epsB[b])) {
                efficiency.put(FiguresOfMerit.label(epsB[b]), standardDeviation(kept, 1 + b));
            }
        }
        return new StatisticalErrors(standardDeviation(kept, 0), efficiency, kept.length);
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

    /** The events of both samples from the highest score to the lowest, with the group of equal scores each is in. */
    private static final class Sorted {
        final int[] order;
        final int[] group;
        final double[] groupScore;
        final int groups;

        Sorted(float[] background, float[] signal) {
            float[] scores = new float[background.length + signal.length];
            System.arraycopy(background, 0, scores, 0, background.length);
            System.arraycopy(signal, 0, scores, background.length, signal.length);
            order = RocCurve.descendingOrder(scores);
            group = new int[scores.length];
            groupScore = new double[scores.length];
            int g = -1;
            for (int i = 0; i < scores.length; i++) {
                float s = scores[order[i]];
                if (g < 0 || s != groupScore[g]) {
                    groupScore[++g] = s;
                }
                group[i] = g;
            }
            groups = g + 1;
        }
    }

    /** One thread's replicate: how often each event was drawn, and the weights of the score groups. */
    private static final class Replicate {
        private final int[] countsB;
        private final int[] countsS;
        private double[] groupB = new double[0];
        private double[] groupS = new double[0];

        Replicate(int backgroundEvents, int signalEvents) {
            this.countsB = new int[backgroundEvents];
            this.countsS = new int[signalEvents];
        }

        /** Draws the next replicate: as many events of each sample, with replacement, as it has. */
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

        /** {auc, eps_S at each of {@code epsB}} of the events drawn, scored as {@code sorted}; null where a sample drew no weight. */
        double[] figures(Sorted sorted, double[] backgroundWeights, double[] signalWeights, double[] epsB) {
            if (groupB.length < sorted.groups) {
                groupB = new double[sorted.groups];
                groupS = new double[sorted.groups];
            }
            Arrays.fill(groupB, 0);
            Arrays.fill(groupS, 0);
            int nb = countsB.length;
            double totalB = 0;
            double totalS = 0;
            for (int i = 0; i < sorted.order.length; i++) {
                int event = sorted.order[i];
                if (event < nb) {
                    double w = countsB[event] * (backgroundWeights == null ? 1 : backgroundWeights[event]);
                    groupB[sorted.group[i]] += w;
                    totalB += w;
                } else {
                    double w = countsS[event - nb] * (signalWeights == null ? 1 : signalWeights[event - nb]);
                    groupS[sorted.group[i]] += w;
                    totalS += w;
                }
            }
            if (!(totalB > 0) || !(totalS > 0)) {
                return null;
            }
            RocCurve roc = RocCurve.ofGroups(sorted.groupScore, groupB, groupS, sorted.groups, countsB.length, countsS.length);
            double[] figures = new double[1 + epsB.length];
            figures[0] = roc.auc();
            for (int b = 0; b < epsB.length; b++) {
                figures[1 + b] = roc.signalEfficiencyAt(epsB[b]);
            }
            return figures;
        }
    }
}
