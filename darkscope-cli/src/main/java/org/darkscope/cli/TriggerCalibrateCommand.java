package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.darkscope.Pipeline;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.io.EventFiles;
import org.darkscope.stats.TriggerRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope trigger calibrate}: the score threshold that accepts a target rate of
 * background from a given input rate, its statistical uncertainty from the finite background
 * sample, and each signal's efficiency at it ({@link TriggerRate}).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"The threshold that accepts --rate of background out of --input-rate, and each signal's efficiency at it.",
                "Efficiency = rate / input rate, with the rate's 68 %% interval from the finite sample. Events with a score "
                        + "above the threshold are kept.",
                "Example: darkscope trigger calibrate --model ae.model --background bkg.csv.gz --input-rate 40e6 --rate 1000"})
final class TriggerCalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
    Path model;

    @Option(names = "--background", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Background events the model was not trained on.")
    List<Path> background;

    @Option(names = "--input-rate", required = true, paramLabel = "HZ", description = "Rate of events reaching the trigger, e.g. 40e6.")
    double inputRate;

    @Option(names = "--rate", required = true, paramLabel = "HZ", description = "Rate of background events to accept, e.g. 1000.")
    double rate;

    @Option(names = "--signal", arity = "1..*", paramLabel = "FILE", description = "Signal files: their efficiency at the threshold.")
    List<Path> signals = new ArrayList<>();

    @Option(names = "--weighted", description = "Weight the background (and signals) by the weight column: the efficiency is the "
            + "weight fraction above the threshold, the rate L * (sum of weights above) with L = input rate / (sum of all weights).")
    boolean weighted;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the result as JSON.")
    Path json;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the background or a signal holds events the model was trained on.")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        requireRate("--input-rate", inputRate);
        requireRate("--rate", rate);
        if (rate > inputRate) {
            throw new UsageException("--rate " + rate + " Hz is above --input-rate " + inputRate
                    + " Hz: a trigger keeps at most what reaches it");
        }
        DistinctSamples.require("--background", background, "--signal", signals);
        List<Path> inputs = new ArrayList<>(background);
        inputs.addAll(signals);
        inputs.add(model);
        OutputGuard.requireModel(model);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, inputs);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TriggerRate.Calibration c;
        List<String> names = new ArrayList<>();
        List<TriggerRate.Calibration> efficiencies = new ArrayList<>();
        String detector;
        try (TrainedModel loaded = ModelBundle.load(model)) {
            detector = loaded.manifest().detector();
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded, inputs.subList(0, inputs.size() - 1), allowTrainingOverlap, err);
            ScoringProgress progress = new ScoringProgress(err, "trigger calibrate");
            Scores bkg = new Scores();
            for (Path file : background) {
                Pipeline.ScoredSample s = Pipeline.scoreFile(loaded, overlap.trainingEvents(), file, input.mode(),
                        Pipeline.Selection.EVERY_EVENT, fingerprint -> { }, progress);
                overlap.check(file, s.overlap());
                err.print(s.describeReading(weighted));
                bkg.add(s.scores(), s.weights());
            }
            c = TriggerRate.calibrate(bkg.scores, weighted ? Pipeline.positiveTotal(background.size() == 1 ? background.get(0).toString()
                    : "the background files", bkg.weights) : null, rate / inputRate);
            for (Path file : signals) {
                Pipeline.ScoredSample s = Pipeline.scoreFile(loaded, overlap.trainingEvents(), file, input.mode(),
                        Pipeline.Selection.EVERY_EVENT, fingerprint -> { }, progress);
                overlap.check(file, s.overlap());
                err.print(s.describeReading(weighted));
                names.add(EventFiles.sampleName(file));
                efficiencies.add(TriggerRate.at(s.scores(), weighted ? s.measurementWeights() : null, c.threshold()));
            }
        }
        out.printf(Locale.ROOT, "%s: keep events with score > %.6g%n", detector, c.threshold());
        out.printf(Locale.ROOT, "  background efficiency %.4g (68 %% interval %.4g - %.4g), %d background events above%s%n",
                c.efficiency(), c.efficiencyLow(), c.efficiencyHigh(), c.eventsAbove(),
                weighted ? String.format(Locale.ROOT, " (%.1f effective)", c.effectiveEvents()) : "");
        out.printf(Locale.ROOT, "  rate %.4g Hz (68 %% interval %.4g - %.4g Hz) of %.4g Hz input; asked %.4g Hz%n",
                c.efficiency() * inputRate, c.efficiencyLow() * inputRate, c.efficiencyHigh() * inputRate, inputRate, rate);
        for (int i = 0; i < names.size(); i++) {
            TriggerRate.Calibration e = efficiencies.get(i);
            out.printf(Locale.ROOT, "  signal %-36s efficiency %.4g (68 %% interval %.4g - %.4g)%n", names.get(i), e.efficiency(),
                    e.efficiencyLow(), e.efficiencyHigh());
        }
        if (json != null) {
            ObjectNode root = Json.object();
            root.put("detector", detector);
            root.put("threshold", c.threshold());
            root.put("input_rate_hz", inputRate);
            root.put("rate_hz", c.efficiency() * inputRate);
            root.put("requested_rate_hz", rate);
            root.put("background_efficiency", c.efficiency());
            ArrayNode interval = root.putArray("rate_interval_hz");
            interval.add(c.efficiencyLow() * inputRate);
            interval.add(c.efficiencyHigh() * inputRate);
            root.put("background_events_above", c.eventsAbove());
            root.put("weighted", weighted);
            ArrayNode s = root.putArray("signals");
            for (int i = 0; i < names.size(); i++) {
                ObjectNode node = s.addObject();
                node.put("name", names.get(i));
                node.put("efficiency", efficiencies.get(i).efficiency());
                ArrayNode signalInterval = node.putArray("efficiency_interval");
                signalInterval.add(efficiencies.get(i).efficiencyLow());
                signalInterval.add(efficiencies.get(i).efficiencyHigh());
            }
            Json.write(json, root);
            out.println("wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** Scores and weights of several files, one after the other. */
    private static final class Scores {
        float[] scores = new float[0];
        double[] weights = new double[0];

        void add(float[] more, double[] theirWeights) {
            int n = scores.length;
            scores = java.util.Arrays.copyOf(scores, n + more.length);
            weights = java.util.Arrays.copyOf(weights, n + theirWeights.length);
            System.arraycopy(more, 0, scores, n, more.length);
            System.arraycopy(theirWeights, 0, weights, n, theirWeights.length);
        }
    }

    private static void requireRate(String option, double hz) {
        if (!(hz > 0) || Double.isInfinite(hz)) {
            throw new UsageException(option + " must be a positive, finite rate in Hz, got " + hz);
        }
    }
}
