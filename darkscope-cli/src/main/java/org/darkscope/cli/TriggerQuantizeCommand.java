package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.darkscope.Pipeline;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.FixedPoint;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.event.Event;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.EventFiles;
import org.darkscope.metric.Evaluation;
import org.darkscope.report.QuantizationReport;
import org.darkscope.report.ReportProvenance;
import org.darkscope.select.Channel;
import org.darkscope.stats.TriggerRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope trigger quantize}: a trained dense model evaluated in the fixed-point
 * arithmetic of an FPGA firmware ({@link FixedPoint}, hls4ml's {@code ap_fixed<W,I>}) against the
 * float model: AUC and signal efficiency, the background accept rate at the float threshold, and a
 * scan of the width W from 6 to 18 bits.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Evaluate a dense model (ae, vae, deep-svdd, classifier, hyperclass) in fixed point, as hls4ml's firmware would.",
                "Against the float model: AUC, eps_S@1e-2, the background accept rate at the float threshold, and a scan of "
                        + "the width W of ap_fixed<W,I> from 6 to 18.",
                "Example: darkscope trigger quantize --model ae.model --bits 16 --integer-bits 6 --background bkg.csv.gz --signal sig.csv.gz"})
final class TriggerQuantizeCommand implements Callable<Integer> {
    /** The widths the scan covers. */
    static final int SCAN_FROM = 6;
    static final int SCAN_TO = 18;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory (" + FixedPointOptions.DENSE_DETECTORS + ").")
    Path model;

    @Mixin
    FixedPointOptions fixed;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Background events the model was not trained on.")
    Path background;

    @Option(names = "--signal", required = true, arity = "1..*", paramLabel = "FILE", description = "Signal files.")
    List<Path> signals;

    @Option(names = "--threshold", paramLabel = "T",
            description = "The float model's threshold (default: the one keeping 1 %% of the background in float).")
    Double threshold;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write the scan as a page with its figures.")
    Path report;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the background or a signal holds events the model was trained on.")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        DistinctSamples.require("--background", List.of(background), "--signal", signals);
        FixedPoint type = fixed.type();
        List<Path> inputs = new ArrayList<>(signals);
        inputs.add(0, background);
        List<Path> all = new ArrayList<>(inputs);
        all.add(model);
        OutputGuard.requireModel(model);
        OutputGuard.requireSeparate("--json", json, "--report", report, QuantizationReport.PAGE);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, all);
        OutputGuard.checkResult(report, OutputGuard.Kind.RESULT_DIRECTORY, all);
        PrintWriter out = spec.commandLine().getOut();
        try (TrainedModel loaded = ModelBundle.load(model)) {
            if (!(loaded.detector() instanceof NeuralDetector neural) || neural.fixedPointScoring(type).isEmpty()) {
                throw new UsageException("quantize evaluates dense networks that score in plain Java ("
                        + FixedPointOptions.DENSE_DETECTORS + "); " + loaded.manifest().detector() + " is not one");
            }
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded, inputs, allowTrainingOverlap, spec.commandLine().getErr());
            Map<Path, FeatureBatch> batches = new LinkedHashMap<>();
            Channel channel = Channel.byName(loaded.manifest().channel());
            List<EventFiles.FileReport> reports = new ArrayList<>();
            for (Path file : inputs) {
                EventFiles.Contents contents = EventFiles.readAll(file, input.mode());
                reports.add(contents.report());
                List<Event> events = contents.events();
                // a trigger sees every event: those outside the model's channel are scored, and counted
                spec.commandLine().getErr().print(Pipeline.describeOutsideChannel(file, events.stream().filter(channel.negate()).count(),
                        events.size(), channel, Pipeline.Selection.EVERY_EVENT));
                var counter = overlap.trainingEvents().counter();
                events.forEach(counter);
                overlap.check(file, counter.overlap());
                batches.put(file, loaded.encoder().encode(events));
            }
            spec.commandLine().getErr().print(EventFiles.describeSkipped(reports));
            Map<Path, float[]> floats = new LinkedHashMap<>();
            batches.forEach((file, batch) -> floats.put(file, loaded.detector().score(batch)));
            float[] floatBackground = floats.get(background);
            double t = threshold != null ? threshold : TriggerRate.calibrate(floatBackground, null, 0.01).threshold();
            double floatRate = TriggerRate.at(floatBackground, null, t).efficiency();
            List<Evaluation.Signal> floatFigures = new ArrayList<>(); // the float model's, once for the whole scan
            for (Path signal : signals) {
                floatFigures.add(Evaluation.signal(EventFiles.sampleName(signal), floatBackground, null, floats.get(signal), null));
            }
            Result chosen = evaluate(neural.fixedPointScoring(type).orElseThrow(), batches, floatFigures, t);
            List<QuantizationReport.Point> scan = new ArrayList<>();
            for (int w = SCAN_FROM; w <= SCAN_TO; w++) {
                if (w < type.integerBits()) {
                    continue;
                }
                Result r = evaluate(neural.fixedPointScoring(fixed.type(w)).orElseThrow(), batches, floatFigures, t);
                scan.add(new QuantizationReport.Point(w, r.acceptRate, r.signals.stream().map(s -> s.fixedAuc).toList()));
            }
            print(out, type, t, floatRate, chosen, scan);
            if (json != null) {
                Json.write(json, json(type, t, floatRate, chosen, scan));
                out.println("wrote " + json);
            }
            if (report != null) {
                Map<Path, Long> read = new LinkedHashMap<>();
                batches.forEach((file, batch) -> read.put(file, (long) batch.rows()));
                QuantizationReport.write(report, loaded.manifest().detector() + ", " + type.toString().replace("<" + type.bits() + ",", "<W,"),
                        chosen.signals.stream().map(s -> s.name).toList(), chosen.signals.stream().map(s -> s.floatAuc).toList(), floatRate,
                        scan, ReportProvenance.now(spec.commandLine().getParseResult().originalArgs(), read,
                                Map.of(model.toString(), loaded.manifest())));
                out.println("wrote " + report.resolve(QuantizationReport.PAGE));
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** One signal's figures in float and in fixed point. */
    private record SignalFigures(String name, double floatAuc, double fixedAuc, double floatEps, double fixedEps) {
    }

    /** The accept rate in fixed point at the float threshold, and every signal's figures. */
    private record Result(double acceptRate, List<SignalFigures> signals) {
    }

    private Result evaluate(Function<FeatureBatch, float[]> fixed, Map<Path, FeatureBatch> batches, List<Evaluation.Signal> floatFigures,
                            double t) {
        float[] fixedBackground = fixed.apply(batches.get(background));
        List<SignalFigures> figures = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            Path signal = signals.get(i);
            Evaluation.Signal f = floatFigures.get(i);
            Evaluation.Signal q = Evaluation.signal(EventFiles.sampleName(signal), fixedBackground, null, fixed.apply(batches.get(signal)), null);
            figures.add(new SignalFigures(f.name(), f.figures().auc(), q.figures().auc(), f.figures().signalEfficiency().get("1e-2"),
                    q.figures().signalEfficiency().get("1e-2")));
        }
        return new Result(TriggerRate.at(fixedBackground, null, t).efficiency(), figures);
    }

    private static void print(PrintWriter out, FixedPoint type, double t, double floatRate, Result r, List<QuantizationReport.Point> scan) {
        out.printf(Locale.ROOT, "%s against float; threshold %.6g: background accept rate %.4g in float, %.4g in fixed point%n",
                type, t, floatRate, r.acceptRate);
        out.printf(Locale.ROOT, "  %-36s %9s %9s %10s %10s%n", "signal", "AUC float", "AUC fixed", "eS float", "eS fixed");
        for (SignalFigures s : r.signals) {
            out.printf(Locale.ROOT, "  %-36s %9.4f %9.4f %10.4f %10.4f%n", s.name, s.floatAuc, s.fixedAuc, s.floatEps, s.fixedEps);
        }
        out.printf(Locale.ROOT, "  scan (W: accept rate, AUC per signal):");
        for (QuantizationReport.Point p : scan) {
            out.printf(Locale.ROOT, " %d: %.3g", p.bits(), p.acceptRate());
            p.auc().forEach(a -> out.printf(Locale.ROOT, " %.3f", a));
            out.print(";");
        }
        out.println();
    }

    private static ObjectNode json(FixedPoint type, double t, double floatRate, Result r, List<QuantizationReport.Point> scan) {
        ObjectNode root = Json.object();
        root.put("bits", type.bits());
        root.put("integer_bits", type.integerBits());
        root.put("rounding", type.rounding().name().toLowerCase(Locale.ROOT));
        root.put("saturation", type.overflow().name().toLowerCase(Locale.ROOT));
        root.put("threshold", t);
        root.put("accept_rate_float", floatRate);
        root.put("accept_rate_fixed", r.acceptRate);
        ArrayNode signals = root.putArray("signals");
        for (SignalFigures s : r.signals) {
            ObjectNode node = signals.addObject();
            node.put("name", s.name);
            node.put("auc_float", s.floatAuc);
            node.put("auc_fixed", s.fixedAuc);
            node.put("eps_s_float", s.floatEps);
            node.put("eps_s_fixed", s.fixedEps);
        }
        ArrayNode points = root.putArray("scan");
        for (QuantizationReport.Point p : scan) {
            ObjectNode node = points.addObject();
            node.put("bits", p.bits());
            node.put("accept_rate_fixed", p.acceptRate());
            ArrayNode auc = node.putArray("auc_fixed");
            p.auc().forEach(auc::add);
        }
        return root;
    }
}
