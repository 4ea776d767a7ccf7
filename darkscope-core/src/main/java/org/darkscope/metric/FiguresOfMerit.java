package org.darkscope.metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The challenge's figures of merit for one signal (arXiv:2105.14027, Sect. 5): AUC, signal
 * efficiency at background efficiencies 1e-2, 1e-3, 1e-4, and the maximum significance
 * improvement eps_S / sqrt(eps_B).
 *
 * @param auc                        area under the ROC curve
 * @param signalEfficiency           eps_S keyed by the eps_B label ("1e-2", ...)
 * @param resolved                   per eps_B label, whether the background sample resolves it
 * @param onSharedScore              per eps_B label, whether its threshold falls on a score that background and signal
 *                                   events share ({@link RocCurve#onSharedScore}): eps_S is then no cut's
 * @param maxSignificanceImprovement max of eps_S / sqrt(eps_B) along the curve
 */
public record FiguresOfMerit(double auc, Map<String, Double> signalEfficiency, Map<String, Boolean> resolved,
                             Map<String, Boolean> onSharedScore, double maxSignificanceImprovement) {

    /** The background efficiencies the challenge quotes, with their labels. */
    public static final List<Double> BACKGROUND_EFFICIENCIES = List.of(1e-2, 1e-3, 1e-4);

    /** The label of a background efficiency, e.g. "1e-3" or "3e-4" (plain decimal if not of that form). */
    public static String label(double epsB) {
        int exponent = (int) Math.floor(Math.log10(epsB) + 1e-9);
        double mantissa = epsB / Math.pow(10, exponent);
        long digit = Math.round(mantissa);
        return digit >= 1 && digit <= 9 && Math.abs(mantissa - digit) < 1e-9 ? digit + "e" + exponent : Double.toString(epsB);
    }

    /** The challenge's background efficiencies that {@code backgroundEvents} (effective) events resolve ({@link RocCurve#resolves(double)}). */
    static double[] resolvedBackgroundEfficiencies(double backgroundEvents) {
        return BACKGROUND_EFFICIENCIES.stream().mapToDouble(Double::doubleValue).filter(e -> RocCurve.resolves(e, backgroundEvents)).toArray();
    }

    /**
     * eps_S at {@code label} as the tables print it, to four places: marked {@code *} where the
     * background does not resolve eps_B and {@code ^} where its threshold falls on a score that
     * background and signal share.
     */
    public String marked(String label) {
        return String.format(java.util.Locale.ROOT, "%.4f%s%s", signalEfficiency.get(label), resolved.get(label) ? "" : "*",
                onSharedScore.get(label) ? "^" : "");
    }

    /** Reads the figures of merit off a ROC curve. */
    public static FiguresOfMerit of(RocCurve roc) {
        Map<String, Double> eff = new LinkedHashMap<>();
        Map<String, Boolean> resolved = new LinkedHashMap<>();
        Map<String, Boolean> shared = new LinkedHashMap<>();
        for (double epsB : BACKGROUND_EFFICIENCIES) {
            eff.put(label(epsB), roc.signalEfficiencyAt(epsB));
            resolved.put(label(epsB), roc.resolves(epsB));
            shared.put(label(epsB), roc.onSharedScore(epsB));
        }
        return new FiguresOfMerit(roc.auc(), eff, resolved, shared, roc.maxSignificanceImprovement());
    }
}
