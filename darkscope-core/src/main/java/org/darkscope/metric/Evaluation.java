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
     * same events), and its effective number of events: its events, or (sum w)^2 / sum w^2 where
     * weighted (Kish), which sets its limits and says when its errors are rough.
     */
    public record Signal(String name, float[] scores, double[] weights, RocCurve roc, FiguresOfMerit figures, StatisticalErrors errors,
                         double effectiveSignalEvents) {
        /** The AUC's statistical error; NaN where none was drawn. */
        public double aucError() {
            return errors == null ? Double.NaN : errors.auc();
        }

        /** eps_S's statistical error at the eps_B {@code label} ("1e-2", ...); NaN where none was drawn or the background does not resolve it. */
        public double signalEfficiencyError(String label) {
            Double error = errors == null ? null : errors.signalEfficiency().get(label);
            return error == null ? Double.NaN : error;
        }

        /**
         * Where no signal event passes the threshold at the eps_B {@code label}, or every one does,
         * eps_S's error says nothing of how well so few or so many passing events fix it (it is zero,
         * or the threshold's fluctuation alone): the one-sided limit at {@value Evaluation#LIMIT_CONFIDENCE}
         * confidence (Clopper and Pearson, Biometrika 26 (1934) 404, with none or all of n passing:
         * 1 - 0.05^(1/n) above eps_S = 0, 0.05^(1/n) below eps_S = 1; n the signal's events, Kish's
         * effective number where they are weighted). NaN elsewhere: where eps_S lies between, where
         * eps_B is not resolved or no errors were drawn.
         */
        public double signalEfficiencyLimit(String label) {
            double efficiency = figures.signalEfficiency().get(label);
            if (Double.isNaN(signalEfficiencyError(label)) || efficiency != 0 && efficiency != 1) {
                return Double.NaN;
            }
            double beyond = Math.pow(1 - LIMIT_CONFIDENCE, 1 / effectiveSignalEvents());
            return efficiency == 0 ? 1 - beyond : beyond;
        }

        /**
         * Whether the signal has fewer than {@value Evaluation#FEW_EVENTS} events (Kish's effective
         * number where weighted) and errors were drawn: its errors are then rough themselves.
         */
        public boolean fewEvents() {
            return errors != null && effectiveSignalEvents() < FEW_EVENTS;
        }

        /** Whether eps_S at some eps_B has a limit in place of its error ({@link #signalEfficiencyLimit}). */
        public boolean hasEfficiencyLimit() {
            return figures.signalEfficiency().keySet().stream().anyMatch(label -> !Double.isNaN(signalEfficiencyLimit(label)));
        }

        /** Whether eps_S at some eps_B is read on a score that background and signal share ({@link FiguresOfMerit#onSharedScore}). */
        public boolean onSharedScore() {
            return figures.onSharedScore().containsValue(true);
        }
    }

    /**
     * Signal events below which a statistical error is said to be rough: the bootstrap's error of an
     * AUC from 3 signal events against 2,000 background is on average 0.65 of the true spread and in
     * half the samples below half of it, from 10 events 0.92 (0.13), from 30 0.96 (0.02) (a
     * simulation of Gaussian scores, 300 samples of each size: bench/bootstrap_small_samples.py).
     */
    public static final int FEW_EVENTS = 10;

    /** The confidence level of {@link Signal#signalEfficiencyLimit}. */
    public static final double LIMIT_CONFIDENCE = 0.95;

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
                errors ? StatisticalErrors.of(ranking, roc, backgroundWeights, signalWeights) : null, effectiveEvents(signalWeights, signal.length));
    }

    /** {@code events}, or Kish's effective number of {@code weights} where they are not null ({@link #kish}). */
    public static double effectiveEvents(double[] weights, long events) {
        if (weights == null) {
            return events;
        }
        double sum = 0;
        double squares = 0;
        for (double w : weights) {
            sum += w;
            squares += w * w;
        }
        return kish(sum, squares);
    }

    /** Kish's effective number of weighted events, (sum w)^2 / sum w^2, from the weights' sum and the sum of their squares. */
    public static double kish(double sum, double squares) {
        return sum * sum / squares;
    }
}
