package org.darkscope.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;
import org.darkscope.metric.FiguresOfMerit;

/**
 * A general search on an anomaly score, after ATLAS's general search (arXiv:1807.07447) and the
 * challenge's proposal (arXiv:2105.14027, Sect. 2): signal regions "score >= threshold" are
 * derived from the reference background (thresholds at fixed background efficiencies), the
 * background is normalised to the data in a control region of low scores (or absolutely from the
 * event weights and a luminosity), each region gets a local p-value ({@link Significance}), and
 * the look-elsewhere effect is calibrated with background-only toy experiments. Given its events'
 * weights, the reference counts by them everywhere (a reference made in slices, an NLO generator's):
 * the efficiencies that place the thresholds and the control region, the normalisation, each
 * region's background and the uncertainty of the reference's finite sample (sqrt(sum w^2) / sum w).
 *
 * <p>The regions are nested, so toys are drawn in the disjoint bins between consecutive
 * thresholds and summed, never independently per region. Each toy first draws the true
 * background: a common factor for the normalisation and the systematic uncertainty, and one
 * factor per bin for the finite reference sample (Gamma-distributed, mean 1), then Poisson
 * counts. The global p-value is the fraction of toys whose smallest local p-value is at most the
 * observed one. The trials factor compares it with the same toys' fraction in the most significant
 * region alone, not with that region's local p-value: Z_Bi's p-value is that of a flat prior on
 * the background (mean b + sigma_b^2/b), the toys' true background has mean b, so the local
 * p-value is a little conservative against them, and their ratio could fall below 1.
 */
public final class RegionSearch {
    /** The fewest toys as significant in the most significant region alone for a trials factor (with fewer, its error exceeds 30 %). */
    public static final int TOYS_FOR_TRIALS_FACTOR = 10;

    private RegionSearch() {
    }

    /**
     * How the background was normalised to the data: {@code method} "luminosity" or "control
     * region", and whether the reference counted by its weights ({@code weighted}: always with a
     * luminosity).
     */
    public record Normalisation(String method, double factor, double relativeUncertainty, long referenceControlEvents,
                                long dataControlEvents, double controlThreshold, boolean weighted) {
        private boolean byLuminosity() {
            return method.equals("luminosity");
        }

        /** The relative uncertainty every region shares: the systematic, and in the control region the normalisation's. */
        private double commonRelative(SearchSettings settings) {
            return byLuminosity() ? settings.backgroundUncertainty() : Math.hypot(relativeUncertainty, settings.backgroundUncertainty());
        }

        /** "control region", "control region, the reference by its weights" or "luminosity", for tables and pages. */
        public String describe() {
            return weighted && !byLuminosity() ? method + ", the reference by its weights" : method;
        }
    }

    /**
     * The outcome of a search.
     *
     * @param regions         the resolved signal regions, loosest first
     * @param unresolved      regions the reference sample cannot resolve (fewer than one event expected in it)
     * @param mostSignificant name of the region with the smallest local p-value
     * @param globalP         fraction of toys at least as significant somewhere
     * @param globalZ         its significance; a lower bound when no toy was as significant
     * @param globalZIsBound  whether no toy reached the observed significance (global p &lt; 1/toys)
     * @param toys            number of toy experiments
     * @param trialsFactor    the look-elsewhere factor, from the toys: the fraction of toys as
     *                        significant somewhere over the fraction as significant in the most
     *                        significant region alone (at least 1; NaN where fewer than
     *                        {@value #TOYS_FOR_TRIALS_FACTOR} toys were as significant there)
     * @param normalisation   how the background was normalised
     * @param dataEvents      events in the data
     */
    public record Result(List<SignalRegion> regions, List<String> unresolved, String mostSignificant, double globalP,
                         double globalZ, boolean globalZIsBound, int toys, double trialsFactor,
                         Normalisation normalisation, long dataEvents) {

        /** The most significant region. */
        public SignalRegion best() {
            return regions.stream().filter(r -> r.name().equals(mostSignificant)).findFirst().orElseThrow();
        }
    }

    /**
     * Runs the search.
     *
     * @param reference        scores of the reference (background-only) sample
     * @param referenceWeights its event weights (in pb with a luminosity, which needs them), or null: every event counts once
     * @param data             scores of the data
     */
    public static Result run(float[] reference, double[] referenceWeights, float[] data, SearchSettings settings) {
        return run(reference, referenceWeights, DataCounts.of(data), settings);
    }

    /**
     * The score thresholds a search on {@code reference} (counted by {@code referenceWeights}
     * where given) uses: the control-region threshold (NaN with absolute normalisation), then one
     * per resolved signal region, in the order of the settings. A distributed job counts the data
     * at exactly these.
     */
    public static float[] thresholds(float[] reference, double[] referenceWeights, SearchSettings settings) {
        Ranked ranked = new Ranked(reference, referenceWeights);
        List<Float> thresholds = new ArrayList<>();
        thresholds.add(settings.luminosity() > 0 ? Float.NaN : ranked.controlThreshold(settings.controlQuantile()));
        for (double epsB : settings.backgroundEfficiencies()) {
            float threshold = ranked.regionThreshold(epsB);
            if (!Float.isNaN(threshold)) {
                thresholds.add(threshold);
            }
        }
        float[] out = new float[thresholds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = thresholds.get(i);
        }
        return out;
    }

    /**
     * The reference's scores in ascending order, with their weights in the same order (null: every
     * event counts once), where the thresholds are read.
     */
    private static final class Ranked {
        final float[] ascending;
        final double[] weights;
        final double total;

        Ranked(float[] reference, double[] referenceWeights) {
            int n = reference.length;
            if (referenceWeights == null) {
                ascending = reference.clone();
                Arrays.sort(ascending);
                weights = null;
                total = n;
                return;
            }
            int[] order = SortedScores.descendingOrder(reference);
            ascending = new float[n];
            weights = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                ascending[i] = reference[order[n - 1 - i]];
                weights[i] = referenceWeights[order[n - 1 - i]];
                sum += weights[i];
            }
            total = sum;
        }

        /**
         * The threshold of the region "score >= threshold" at background efficiency {@code epsB}, the
         * score of its lowest event: the region holds the round(epsB N) highest events, or where
         * weighted those whose weight comes closest to epsB of the total ({@link ClosestPrefix}); NaN
         * where it would hold none (epsB below half an event's share, unweighted): not resolved.
         */
        float regionThreshold(double epsB) {
            int n = ascending.length;
            int highest = weights == null ? (int) Math.round(epsB * n) : ClosestPrefix.of(n, k -> weights[n - 1 - k], epsB * total);
            return highest >= 1 ? ascending[n - highest] : Float.NaN;
        }

        /**
         * The control region "score below threshold": the lowest floor(q N) events, or where weighted
         * those whose weight comes closest to q of the total; the threshold is the next event's score.
         */
        float controlThreshold(double quantile) {
            int lowest = weights == null ? (int) Math.floor(quantile * ascending.length)
                    : ClosestPrefix.of(ascending.length, k -> weights[k], quantile * total);
            return ascending[Math.min(lowest, ascending.length - 1)];
        }
    }

    /** Runs the search on data given by their counts at the thresholds of {@link #thresholds}. */
    public static Result run(float[] reference, double[] referenceWeights, DataCounts data, SearchSettings settings) {
        if (reference.length == 0 || data.total() == 0) {
            throw new IllegalArgumentException("the search needs reference background and data events");
        }
        Ranked ranked = new Ranked(reference, referenceWeights);
        Normalisation normalisation = normalise(reference, referenceWeights, ranked, data, settings);
        List<Region> regions = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (double epsB : settings.backgroundEfficiencies()) {
            String name = "eps_b=" + FiguresOfMerit.label(epsB);
            float threshold = ranked.regionThreshold(epsB);
            Region region = Float.isNaN(threshold) ? null
                    : Region.of(name, threshold, reference, referenceWeights, ranked.total, data, normalisation, settings);
            if (region == null || !region.predicted()) {
                unresolved.add(name);
                continue;
            }
            regions.add(region);
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("no signal region is resolved by " + reference.length + " reference events"
                    + (settings.luminosity() > 0 ? " (normalised by luminosity, a region needs a positive sum of reference weights)" : ""));
        }
        regions.sort((a, b) -> Float.compare(a.threshold, b.threshold));
        List<SignalRegion> results = regions.stream().map(Region::result).toList();
        SignalRegion best = results.stream().min((a, b) -> Double.compare(a.localP(), b.localP())).orElseThrow();
        ToyCounts toys = countToys(regions, normalisation, settings, best.localP(), results.indexOf(best));
        double globalP = toys.anywhere() / (double) settings.toys();
        boolean bound = toys.anywhere() == 0;
        double globalZ = Significance.z(bound ? 1.0 / settings.toys() : globalP);
        return new Result(results, unresolved, best.name(), globalP, globalZ, bound, settings.toys(),
                toys.there() >= TOYS_FOR_TRIALS_FACTOR ? toys.anywhere() / (double) toys.there() : Double.NaN, normalisation, data.total());
    }

    /**
     * Tests one region fixed in advance, "score >= threshold", with the background normalised as
     * in {@link #run}; no look-elsewhere correction is needed or made.
     */
    public static SignalRegion testRegion(String name, float threshold, float[] reference, double[] referenceWeights,
                                          float[] data, SearchSettings settings) {
        Ranked ranked = new Ranked(reference, referenceWeights);
        DataCounts counts = DataCounts.of(data);
        Normalisation normalisation = normalise(reference, referenceWeights, ranked, counts, settings);
        Region region = Region.of(name, threshold, reference, referenceWeights, ranked.total, counts, normalisation, settings);
        if (!region.predicted()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "region %s: the reference's weights above its"
                    + " threshold sum to %.6g, negative weights outweighing the rest: it predicts no background there", name, region.referenceWeight));
        }
        return region.result();
    }

    private static Normalisation normalise(float[] reference, double[] weights, Ranked ranked, DataCounts data,
                                           SearchSettings settings) {
        if (settings.luminosity() > 0) {
            if (weights == null) {
                throw new IllegalArgumentException("absolute normalisation needs event weights");
            }
            double perPb = settings.luminosity() * SearchSettings.INVERSE_PB_PER_INVERSE_FB;
            return new Normalisation("luminosity", perPb, 0, reference.length, data.total(), Double.NaN, true);
        }
        float controlThreshold = ranked.controlThreshold(settings.controlQuantile());
        long referenceControl = 0;
        double weight = 0;
        double squares = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] < controlThreshold) {
                referenceControl++;
                double w = weights == null ? 1 : weights[i];
                weight += w;
                squares += w * w;
            }
        }
        long dataControl = data.below(controlThreshold);
        if (referenceControl == 0 || dataControl == 0 || !(weight > 0)) {
            throw new IllegalArgumentException("the control region (scores below " + controlThreshold + ") holds "
                    + referenceControl + " reference" + (weights == null ? "" : String.format(java.util.Locale.ROOT, " (weight %.6g)", weight))
                    + " and " + dataControl + " data events: cannot normalise");
        }
        if (weights == null) {
            double factor = dataControl / (double) referenceControl;
            double relative = Math.sqrt(1.0 / referenceControl + 1.0 / dataControl);
            return new Normalisation("control region", factor, relative, referenceControl, dataControl, controlThreshold, false);
        }
        double relative = Math.sqrt(squares / (weight * weight) + 1.0 / dataControl);
        return new Normalisation("control region", dataControl / weight, relative, referenceControl, dataControl, controlThreshold, true);
    }

    /** A region with the pieces the toys need. */
    private record Region(String name, float threshold, double epsB, long referenceEvents, double referenceWeight,
                          double referenceWeight2, long observed, double expected, double uncertainty,
                          double statisticalRelative) {

        /**
         * Whether the reference predicts a background here: always where normalised in the control
         * region (it counts events); from the weights, where their sum in the region is positive (an
         * NLO generator's negative weights can outweigh the rest in a region of a few events).
         */
        boolean predicted() {
            return expected > 0;
        }

        static Region of(String name, float threshold, float[] reference, double[] weights, double total, DataCounts data,
                         Normalisation n, SearchSettings settings) {
            long count = 0;
            double w = 0;
            double w2 = 0;
            for (int i = 0; i < reference.length; i++) {
                if (reference[i] >= threshold) {
                    count++;
                    double weight = weights == null ? 1 : weights[i];
                    w += weight;
                    w2 += weight * weight;
                }
            }
            long observed = data.atLeast(threshold);
            double expected;
            double statistical;
            if (n.weighted()) {
                expected = w * n.factor();
                statistical = Math.sqrt(w2) / w;
            } else {
                expected = count * n.factor();
                statistical = 1 / Math.sqrt(count);
            }
            double uncertainty = expected * Math.hypot(statistical, n.commonRelative(settings));
            return new Region(name, threshold, n.weighted() ? w / total : count / (double) reference.length, count, w, w2, observed,
                    expected, uncertainty, statistical);
        }

        SignalRegion result() {
            double p = Significance.pValue(observed, expected, uncertainty);
            return new SignalRegion(name, threshold, epsB, referenceEvents, observed, expected, uncertainty, p, Significance.z(p));
        }
    }

    /**
     * Background-only toys whose smallest local p-value is at most the observed one ({@code
     * anywhere}), and those whose p-value in the most significant region is ({@code there}).
     */
    private record ToyCounts(int anywhere, int there) {
    }

    /** Counts the background-only toys at least as significant as {@code observedP}, anywhere and in region {@code best}. */
    private static ToyCounts countToys(List<Region> regions, Normalisation n, SearchSettings settings, double observedP, int best) {
        int bins = regions.size();
        double[] binExpected = new double[bins];
        double[] binRelative = new double[bins];
        for (int i = 0; i < bins; i++) {
            Region r = regions.get(i);
            Region next = i + 1 < bins ? regions.get(i + 1) : null;
            binExpected[i] = Math.max(0, r.expected - (next == null ? 0 : next.expected));
            if (n.weighted()) {
                double w = r.referenceWeight - (next == null ? 0 : next.referenceWeight);
                double w2 = r.referenceWeight2 - (next == null ? 0 : next.referenceWeight2);
                binRelative[i] = w > 0 ? Math.sqrt(Math.max(w2, 0)) / w : 0;
            } else {
                long count = r.referenceEvents - (next == null ? 0 : next.referenceEvents);
                binRelative[i] = count > 0 ? 1 / Math.sqrt(count) : 0;
            }
        }
        double commonRelative = n.commonRelative(settings);
        SplittableRandom random = new SplittableRandom(settings.seed());
        UniformRandomProvider rng = random::nextLong;
        int atLeast = 0;
        int there = 0;
        long[] counts = new long[bins];
        for (int t = 0; t < settings.toys(); t++) {
            double common = unitGamma(commonRelative, rng);
            for (int i = 0; i < bins; i++) {
                double mean = binExpected[i] * common * unitGamma(binRelative[i], rng);
                counts[i] = mean > 0 ? PoissonDistribution.of(mean).createSampler(rng).sample() : 0;
            }
            long cumulative = 0;
            double minP = 1;
            for (int i = bins - 1; i >= 0; i--) {
                cumulative += counts[i];
                Region r = regions.get(i);
                double p = Significance.pValue(cumulative, r.expected, r.uncertainty);
                minP = Math.min(minP, p);
                if (i == best && p <= observedP) {
                    there++;
                }
            }
            if (minP <= observedP) {
                atLeast++;
            }
        }
        return new ToyCounts(atLeast, there);
    }

    /** A Gamma-distributed factor with mean 1 and relative standard deviation {@code relative} (1 if 0). */
    private static double unitGamma(double relative, UniformRandomProvider rng) {
        if (relative <= 0) {
            return 1;
        }
        double shape = 1 / (relative * relative);
        return GammaDistribution.of(shape, 1 / shape).createSampler(rng).sample();
    }
}
