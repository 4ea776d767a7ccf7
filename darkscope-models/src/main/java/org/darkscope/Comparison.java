package org.darkscope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.ExternalModel;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.SampleClassifier;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Distortion;
import org.darkscope.event.Event;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FiguresOfMerit;
import org.darkscope.stats.RandomOrder;

/**
 * Who wins when the signal is unknown: supervised, "hyperclass", weakly supervised and
 * unsupervised detectors judged on the same events, one signal left out at a time. For each
 * signal S, judged on the held-out background and on the part of S no model trained on:
 * <ul>
 * <li>{@code classifier} trained on each signal T in turn (T = S is the ideal, the best a
 *     search for exactly this signal can do; T != S is what it does for a signal it was not
 *     built for);</li>
 * <li>{@code hyperclass} trained on every signal but S; where that leaves fewer than two, the
 *     five generic distortions of the training background ({@link Distortion}) join them as
 *     signal models, each weighted as one;</li>
 * <li>{@code data-vs-reference} trained on pseudo-data, the held-out background with events of
 *     S injected at {@code injectedFraction}, against the training background as reference;</li>
 * <li>every other detector on the training background alone.</li>
 * </ul>
 * Each signal is split once (seeded) into a part for training the supervised models and
 * injecting into pseudo-data and a part for judging; every method is judged on the same events.
 */
public final class Comparison {
    /** eps_B at which the comparison quotes eps_S. */
    public static final double BACKGROUND_EFFICIENCY = 1e-2;

    private Comparison() {
    }

    /** A method: its label in results, its detector, settings and encoding (null: the detector's). */
    public record Method(String label, String detector, Hyperparameters settings, String encoding) {
    }

    /** A named sample of events. */
    public record Sample(String name, List<Event> events) {
    }

    /**
     * What to compare.
     *
     * @param trainBackground        background to learn from, and the reference of data-vs-reference
     * @param background             held-out background: judged, and the pseudo-data's background
     * @param signals                at least two signals
     * @param methods                the methods to compare
     * @param signalTrainingFraction fraction of each signal for training and injection; the rest is judged
     * @param injectedFraction       signal events injected into the pseudo-data, as a fraction of its background
     * @param validationFraction     fraction of every training sample held out for early stopping
     * @param config                 training settings
     */
    public record Request(List<Event> trainBackground, List<Event> background, List<Sample> signals, List<Method> methods,
                          double signalTrainingFraction, double injectedFraction, double validationFraction, TrainingConfig config) {
        public Request {
            if (signals.size() < 2) {
                throw new IllegalArgumentException("the comparison leaves one signal out at a time: it needs at least two signals, got "
                        + signals.size());
            }
            if (!(signalTrainingFraction > 0 && signalTrainingFraction < 1)) {
                throw new IllegalArgumentException("the signal's training fraction must be in (0, 1), got " + signalTrainingFraction);
            }
            if (!(injectedFraction > 0 && injectedFraction < 1)) {
                throw new IllegalArgumentException("the injected fraction must be in (0, 1), got " + injectedFraction);
            }
        }
    }

    /**
     * One method judged on one signal: what it was trained on, its AUC and eps_S at
     * {@value #BACKGROUND_EFFICIENCY}, each with its statistical error from the events judged
     * ({@link org.darkscope.metric.StatisticalErrors}; NaN where none could be drawn); eps_S's limit
     * where no signal event passes or every one does ({@link Evaluation.Signal#signalEfficiencyLimit}, NaN
     * elsewhere), whether the background judged resolves eps_B, and whether its threshold falls on a
     * score that background and signal share ({@link org.darkscope.metric.RocCurve#onSharedScore}).
     */
    public record Cell(String signal, String method, String trainedOn, double auc, double aucError, double epsS, double epsSError,
                       double epsSLimit, boolean resolved, boolean onSharedScore) {
    }

    /** The signals and methods, in order, and every cell. */
    public record Result(List<String> signals, List<String> methods, List<Cell> cells) {
    }

    /** A signal split into the events models may train on and those every method is judged on. */
    private record Split(String name, List<Event> train, List<Event> test) {
    }

    /** Runs the comparison; {@code progress} hears what is being trained. */
    public static Result run(Request request, Consumer<String> progress) {
        List<Split> signals = new ArrayList<>();
        for (int i = 0; i < request.signals().size(); i++) {
            Sample s = request.signals().get(i);
            int[] order = RandomOrder.permutation(s.events().size(), new java.util.Random(request.config().seed() + 1000L * (i + 1)));
            int train = (int) Math.round(s.events().size() * request.signalTrainingFraction());
            if (train < 2 || s.events().size() - train < 1) {
                throw new IllegalArgumentException(s.name() + ": " + s.events().size() + " events are too few to split into training and judging");
            }
            signals.add(new Split(s.name(), pick(s.events(), order, 0, train), pick(s.events(), order, train, order.length)));
        }
        Map<String, FittedEncoder> encoders = new HashMap<>();
        List<Cell> cells = new ArrayList<>();
        for (Method method : request.methods()) {
            try (Detector probe = Detectors.create(method.detector(), method.settings())) {
                FittedEncoder encoder;
                if (probe instanceof ExternalModel external) { // a model made elsewhere reads the raw features
                    encoder = external.rawEncoder();
                } else {
                    String encoding = Detectors.encodingFor(probe, method.encoding());
                    encoder = encoders.computeIfAbsent(encoding, e -> FittedEncoder.fit(Encodings.byName(e), request.trainBackground()));
                }
                Judge judge = new Judge(encoder, request.background(), signals);
                TrainingData background = TrainingData.split(encoder, encoder.encode(request.trainBackground()),
                        Detectors.validationFraction(probe, request.validationFraction()), request.config().seed());
                if (!(probe instanceof SampleClassifier classifier)) {
                    progress.accept(method.label() + " on background");
                    try (Detector d = Detectors.create(method.detector(), method.settings())) {
                        d.fit(background, request.config());
                        cells.addAll(judge.all(d, method.label(), "background"));
                    }
                } else if (classifier.role() == SampleClassifier.Role.DATA) {
                    cells.addAll(weaklySupervised(request, method, encoder, background, signals, judge, progress));
                } else if (classifier.maximumSamples() == 1) {
                    for (Split t : signals) {
                        progress.accept(method.label() + " trained on " + t.name());
                        try (Detector d = Detectors.create(method.detector(), method.settings())) {
                            ((SampleClassifier) d).fit(background, List.of(samples(encoder, t.train(), request, 1)), request.config());
                            cells.addAll(judge.all(d, method.label(), t.name()));
                        }
                    }
                } else {
                    cells.addAll(hyperclass(request, method, encoder, background, signals, judge, progress));
                }
            }
        }
        return new Result(signals.stream().map(Split::name).toList(), request.methods().stream().map(Method::label).toList(), cells);
    }

    /** For each signal S: trained on every other signal, with the distortions where fewer than two remain. */
    private static List<Cell> hyperclass(Request request, Method method, FittedEncoder encoder, TrainingData background,
                                         List<Split> signals, Judge judge, Consumer<String> progress) {
        List<Cell> cells = new ArrayList<>();
        for (Split s : signals) {
            List<TrainingData> models = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Split t : signals) {
                if (t != s) {
                    models.add(samples(encoder, t.train(), request, models.size() + 1));
                    names.add(t.name());
                }
            }
            if (models.size() < 2) {
                for (Distortion d : Distortion.values()) {
                    List<Event> distorted = new ArrayList<>(request.trainBackground().size());
                    SplittableRandom random = new SplittableRandom(Distortion.PROTOCOL_SEED + d.ordinal());
                    for (Event e : request.trainBackground()) {
                        distorted.add(d.apply(e, random));
                    }
                    models.add(samples(encoder, distorted, request, models.size() + 1));
                }
                names.add(Distortion.values().length + " distortions");
            }
            String trainedOn = String.join(" + ", names);
            progress.accept(method.label() + " trained on " + trainedOn);
            try (Detector d = Detectors.create(method.detector(), method.settings())) {
                ((SampleClassifier) d).fit(background, models, request.config());
                cells.add(judge.one(d, s, method.label(), trainedOn));
            }
        }
        return cells;
    }

    /** For each signal S: data = held-out background with S injected, against the training background as reference. */
    private static List<Cell> weaklySupervised(Request request, Method method, FittedEncoder encoder, TrainingData reference,
                                               List<Split> signals, Judge judge, Consumer<String> progress) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            Split s = signals.get(i);
            int injected = (int) Math.min(s.train().size(), Math.max(1, Math.round(request.injectedFraction() * request.background().size())));
            int[] order = RandomOrder.permutation(s.train().size(), new java.util.Random(request.config().seed() + 7L * (i + 1)));
            List<Event> data = new ArrayList<>(request.background());
            data.addAll(pick(s.train(), order, 0, injected));
            String trainedOn = String.format(java.util.Locale.ROOT, "data: background + %d %s events (%.2g %%)", injected, s.name(),
                    100.0 * injected / request.background().size());
            progress.accept(method.label() + " on " + trainedOn);
            try (Detector d = Detectors.create(method.detector(), method.settings())) {
                ((SampleClassifier) d).fit(reference, List.of(samples(encoder, data, request, 1)), request.config());
                cells.add(judge.one(d, s, method.label(), trainedOn));
            }
        }
        return cells;
    }

    private static TrainingData samples(FittedEncoder encoder, List<Event> events, Request request, long seedOffset) {
        return TrainingData.split(encoder.encode(events), request.validationFraction(), request.config().seed() + seedOffset);
    }

    private static List<Event> pick(List<Event> events, int[] order, int from, int to) {
        List<Event> picked = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            picked.add(events.get(order[i]));
        }
        return picked;
    }

    /** Judges a trained detector on the held-out background and each signal's judging part. */
    private static final class Judge {
        private final FeatureBatch background;
        private final List<FeatureBatch> signals;
        private final List<Split> splits;

        Judge(FittedEncoder encoder, List<Event> background, List<Split> splits) {
            this.background = encoder.encode(background);
            this.signals = splits.stream().map(s -> encoder.encode(s.test())).toList();
            this.splits = splits;
        }

        List<Cell> all(Detector d, String method, String trainedOn) {
            float[] b = d.score(background);
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < splits.size(); i++) {
                cells.add(cell(b, d.score(signals.get(i)), splits.get(i).name(), method, trainedOn));
            }
            return cells;
        }

        Cell one(Detector d, Split s, String method, String trainedOn) {
            return cell(d.score(background), d.score(signals.get(splits.indexOf(s))), s.name(), method, trainedOn);
        }

        private static Cell cell(float[] background, float[] signal, String name, String method, String trainedOn) {
            Evaluation.Signal judged = Evaluation.signal(name, background, null, signal, null);
            String label = FiguresOfMerit.label(BACKGROUND_EFFICIENCY);
            return new Cell(name, method, trainedOn, judged.figures().auc(), judged.aucError(),
                    judged.figures().signalEfficiency().get(label), judged.signalEfficiencyError(label), judged.signalEfficiencyLimit(label),
                    judged.figures().resolved().get(label), judged.figures().onSharedScore().get(label));
        }
    }
}
