package org.darkscope.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One detector's figures of merit on a signal minus another's (a physics baseline's, as a rule)
 * on the same events, weighted as the first was judged, with the statistical errors of the differences
 * from the paired bootstrap ({@link StatisticalErrors#ofDifference}): whether a detector is better
 * than a cut, by more than the events judged can tell.
 *
 * @param minus            the detector whose figures are subtracted
 * @param auc              the difference of the AUCs
 * @param signalEfficiency the differences of eps_S, keyed by the eps_B label ("1e-2", ...)
 * @param errors           the differences' statistical errors
 */
public record FigureDifference(String minus, double auc, Map<String, Double> signalEfficiency, StatisticalErrors errors) {
    public FigureDifference {
        signalEfficiency = Collections.unmodifiableMap(new LinkedHashMap<>(signalEfficiency));
    }

    /**
     * {@code a}'s figures on {@code signalA} minus {@code b}'s on {@code signalB}: the same signal
     * events and the same background events scored by two detectors, in the same order.
     */
    public static FigureDifference between(Evaluation a, Evaluation.Signal signalA, Evaluation b, Evaluation.Signal signalB) {
        if (!signalA.name().equals(signalB.name())) {
            throw new IllegalArgumentException("a difference on one signal, not between " + signalA.name() + " and " + signalB.name());
        }
        Map<String, Double> efficiency = new LinkedHashMap<>();
        signalA.figures().signalEfficiency().forEach((label, value) -> efficiency.put(label, value - signalB.figures().signalEfficiency().get(label)));
        StatisticalErrors errors = StatisticalErrors.ofDifference(a.backgroundScores(), signalA.scores(), b.backgroundScores(),
                signalB.scores(), a.backgroundWeights(), signalA.weights());
        return new FigureDifference(b.detector(), signalA.figures().auc() - signalB.figures().auc(), efficiency, errors);
    }
}
