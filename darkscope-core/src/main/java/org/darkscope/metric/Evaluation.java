package org.darkscope.metric;

import java.util.List;

/**
 * A detector judged the challenge's way: its scores on a background sample and on each signal,
 * with the figures of merit of every signal against that background.
 *
 * @param detector          the detector's name
 * @param backgroundName    the background sample's name
 * @param backgroundScores  scores of the background events
 * @param backgroundWeights their weights, or null where every event counts once
 * @param signals           one entry per signal
 */
public record Evaluation(String detector, String backgroundName, float[] backgroundScores, double[] backgroundWeights, List<Signal> signals) {

    /** Background events evaluated against (from the ROC curves when scores were not kept, as on Spark). */
    public long backgroundEvents() {
        return signals.isEmpty() ? backgroundScores.length : signals.get(0).roc().backgroundEvents();
    }

    /**
     * One signal: its scores and their weights (null where every event counts once), ROC curve,
     * figures of merit and their statistical errors (the bootstrap's, or the asymptotic formulas' for
     * more than {@link StatisticalErrors#MAX_EVENTS} events and where the scores were not kept, as
     * on Spark; null where they were not asked for, a figure compared only with another's on the
     * same events).
     */
    public record Signal(String name, float[] scores, double[] weights, RocCurve roc, FiguresOfMerit figures, StatisticalErrors errors) {
        /** The AUC's statistical error; NaN where none was drawn. */
        public double aucError() {
            return errors == null ? Double.NaN : errors.auc();
        }

        /** eps_S's statistical error at the eps_B {@code label} ("1e-2", ...); NaN where none was drawn or the background does not resolve it. */
        public double signalEfficiencyError(String label) {
            Double error = errors == null ? null : errors.signalEfficiency().get(label);
            return error == null ? Double.NaN : error;
        }
    }

    /** Evaluates signal scores against background scores (weights null: every event counts once). */
    public static Signal signal(String name, float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights) {
        return signal(name, background, backgroundWeights, signal, signalWeights, true);
    }

    /**
     * As {@link #signal(String, float[], double[], float[], double[])}, drawing the statistical errors
     * only if {@code errors}: a figure only ever compared with another on the same events needs the
     * paired errors of {@link StatisticalErrors#ofDifference}, not its own.
     */
    public static Signal signal(String name, float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights,
                                boolean errors) {
        Ranking ranking = Ranking.of(background, backgroundWeights, signal, signalWeights); // ranked once, for the curve and its errors
        RocCurve roc = RocCurve.of(ranking, backgroundWeights, signalWeights);
        return new Signal(name, signal, signalWeights, roc, FiguresOfMerit.of(roc),
                errors ? StatisticalErrors.of(ranking, roc, backgroundWeights, signalWeights) : null);
    }
}
