package org.darkscope.metric;

import java.util.List;

/**
 * A detector judged the challenge's way: its scores on a background sample and on each signal,
 * with the figures of merit of every signal against that background.
 *
 * @param detector         the detector's name
 * @param backgroundName   the background sample's name
 * @param backgroundScores scores of the background events
 * @param signals          one entry per signal
 */
public record Evaluation(String detector, String backgroundName, float[] backgroundScores, List<Signal> signals) {

    /** Background events evaluated against (from the ROC curves when scores were not kept, as on Spark). */
    public long backgroundEvents() {
        return signals.isEmpty() ? backgroundScores.length : signals.get(0).roc().backgroundEvents();
    }

    /** One signal: its scores, ROC curve and figures of merit. */
    public record Signal(String name, float[] scores, RocCurve roc, FiguresOfMerit figures) {
    }

    /** Evaluates signal scores against background scores (weights null: every event counts once). */
    public static Signal signal(String name, float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights) {
        RocCurve roc = RocCurve.of(background, backgroundWeights, signal, signalWeights);
        return new Signal(name, signal, roc, FiguresOfMerit.of(roc));
    }
}
