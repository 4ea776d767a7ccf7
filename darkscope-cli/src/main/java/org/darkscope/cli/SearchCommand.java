package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.Pipeline;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.io.EventFiles;
import org.darkscope.report.ReportProvenance;
import org.darkscope.report.SearchReport;
import org.darkscope.stats.RegionSearch;
import org.darkscope.stats.SearchSettings;
import org.darkscope.stats.SignalRegion;
import org.darkscope.stats.TwoStepSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope search}: turn an anomaly-score excess into a calibrated p-value. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Data-derived signal regions, local p-values (Z_Bi), global p-value from toys, optional confirmation.",
                "Example: darkscope search --model vae.model --background ref_bkg.csv.gz --data data.csv.gz --toys 2000 --json search.json"})
public final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory: its scores define the signal regions.")
    Path model;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Reference background (not trained on).")
    Path background;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The data to search.")
    Path data;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the regions, local and global significances as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write an HTML page (" + SearchReport.PAGE
            + ": observed against expected per region, local and global significance, provenance).")
    Path report;

    @Mixin
    SearchOptions search;

    @Option(names = "--confirm-fraction", paramLabel = "F",
            description = "Two-step search: choose the region on 1-F of the data, test it once on the other F.")
    Double confirmFraction;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the background or the data hold events the model was"
            + " trained on (refused by default: training events look less anomalous than unseen ones).")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        SearchSettings settings = search.settings();
        if (confirmFraction != null) {
            UsageException.naming("--confirm-fraction", () -> TwoStepSearch.requireFraction(confirmFraction));
        }
        DistinctSamples.require("--background", List.of(background), "--data", List.of(data));
        OutputGuard.requireModel(model);
        OutputGuard.requireSeparate("--json", json, "--report", report, SearchReport.PAGE);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, List.of(model, background, data));
        OutputGuard.checkResult(report, OutputGuard.Kind.RESULT_DIRECTORY, List.of(model, background, data));
        Pipeline.ScoredSample reference;
        Pipeline.ScoredSample observed;
        String detector;
        org.darkscope.bundle.Manifest manifest;
        try (TrainedModel loaded = ModelBundle.load(model)) {
            detector = loaded.manifest().detector();
            manifest = loaded.manifest();
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded, List.of(background, data), allowTrainingOverlap,
                    spec.commandLine().getErr());
            EventFingerprints referenceEvents = EventFingerprints.empty();
            ScoringProgress progress = new ScoringProgress(spec.commandLine().getErr(), "search");
            reference = Pipeline.scoreFile(loaded, overlap.trainingEvents(), background, input.mode(), Pipeline.Selection.IN_CHANNEL,
                    referenceEvents::add, progress);
            overlap.check(background, reference.overlap());
            EventFingerprints.Counter shared = referenceEvents.counter();
            observed = Pipeline.scoreFile(loaded, overlap.trainingEvents(), data, input.mode(), Pipeline.Selection.IN_CHANNEL,
                    shared::count, progress);
            overlap.check(data, observed.overlap());
            DistinctSamples.requireIndependent(background, referenceEvents, data, shared.overlap());
        }
        spec.commandLine().getErr().print(EventFiles.describeSkipped(List.of(reference.report(), observed.report()))
                + reference.describeOutsideChannel() + observed.describeOutsideChannel()
                + (search.countsWeights() ? "" : reference.describeCountedOnce()));
        double[] referenceWeights = search.countsWeights() ? reference.weights() : null;
        RegionSearch.Result result;
        TwoStepSearch.Confirmation confirmation = null;
        if (confirmFraction != null) {
            TwoStepSearch.Result twoStep = TwoStepSearch.run(reference.scores(), referenceWeights, observed.scores(),
                    confirmFraction, settings);
            result = twoStep.discovery();
            confirmation = twoStep.confirmation();
        } else {
            result = RegionSearch.run(reference.scores(), referenceWeights, observed.scores(), settings);
        }
        print(spec.commandLine().getOut(), detector, result, confirmation);
        if (json != null) {
            Json.write(json, toJson(detector, result, confirmation));
            spec.commandLine().getOut().println("wrote " + json);
        }
        if (report != null) {
            SearchReport.write(report, detector, result, confirmation, ReportProvenance.now(
                    spec.commandLine().getParseResult().originalArgs(), java.util.Map.of(background, (long) reference.scores().length,
                            data, (long) observed.scores().length), java.util.Map.of(model.toString(), manifest)));
            spec.commandLine().getOut().println("wrote " + report.resolve(SearchReport.PAGE));
        }
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    /** The search object: regions, most_significant, global_p, global_z, toys, and confirmation with a split. */
    public static ObjectNode toJson(String detector, RegionSearch.Result result, TwoStepSearch.Confirmation confirmation) {
        ObjectNode root = Json.object();
        root.put("detector", detector);
        root.put("data_events", result.dataEvents());
        ObjectNode norm = root.putObject("normalisation");
        norm.put("method", result.normalisation().method());
        norm.put("factor", result.normalisation().factor());
        norm.put("relative_uncertainty", result.normalisation().relativeUncertainty());
        norm.put("reference_control_events", result.normalisation().referenceControlEvents());
        norm.put("data_control_events", result.normalisation().dataControlEvents());
        norm.put("weighted", result.normalisation().weighted());
        ArrayNode regions = root.putArray("regions");
        for (SignalRegion r : result.regions()) {
            ObjectNode node = regions.addObject();
            node.put("name", r.name());
            node.put("threshold", r.threshold());
            node.put("eps_b", r.epsB());
            node.put("observed", r.observed());
            node.put("expected", r.expected());
            node.put("expected_uncertainty", r.expectedUncertainty());
            node.put("local_p", r.localP());
            node.put("local_z", r.localZ());
        }
        ArrayNode unresolved = root.putArray("unresolved_regions");
        result.unresolved().forEach(unresolved::add);
        root.put("most_significant", result.mostSignificant());
        root.put("global_p", result.globalP());
        root.put("global_z", result.globalZ());
        root.put("global_z_is_lower_bound", result.globalZIsBound());
        root.put("toys", result.toys());
        if (Double.isNaN(result.trialsFactor())) {
            root.putNull("trials_factor");
        } else {
            root.put("trials_factor", result.trialsFactor());
        }
        if (confirmation != null) {
            ObjectNode c = root.putObject("confirmation");
            c.put("region", confirmation.region());
            c.put("threshold", confirmation.threshold());
            c.put("observed", confirmation.observed());
            c.put("expected", confirmation.expected());
            c.put("expected_uncertainty", confirmation.expectedUncertainty());
            c.put("p", confirmation.p());
            c.put("z", confirmation.z());
            c.put("events", confirmation.events());
        }
        return root;
    }

    /** The search as a table on the terminal. */
    public static void print(PrintWriter out, String detector, RegionSearch.Result result, TwoStepSearch.Confirmation confirmation) {
        out.printf("search with %s on %d %sevents; background normalised by %s (factor %.4g +- %.1f %%)%n", detector,
                result.dataEvents(), confirmation != null ? "discovery " : "", result.normalisation().describe(),
                result.normalisation().factor(), 100 * result.normalisation().relativeUncertainty());
        out.printf("  %-12s %10s %9s %9s %14s %10s %7s%n", "region", "threshold", "eps_b", "observed", "expected", "local p", "Z");
        for (SignalRegion r : result.regions()) {
            out.printf("  %-12s %10.4g %9.2g %9d %8.2f +- %-5.2f %10.3g %7.2f%s%n", r.name(), r.threshold(), r.epsB(), r.observed(),
                    r.expected(), r.expectedUncertainty(), r.localP(), r.localZ(),
                    r.name().equals(result.mostSignificant()) ? "  <- most significant" : "");
        }
        if (!result.unresolved().isEmpty()) {
            out.println("  not resolved by the reference sample: " + String.join(", ", result.unresolved()));
        }
        out.printf("global p = %.4g (Z = %s%.2f) from %d background-only toys; %s%n", result.globalP(),
                result.globalZIsBound() ? ">= " : "", result.globalZ(), result.toys(), SearchReport.trialsFactor(result));
        if (confirmation != null) {
            out.printf("confirmation on %d independent events, region %s: observed %d, expected %.2f +- %.2f, p = %.4g, Z = %.2f%n",
                    confirmation.events(), confirmation.region(), confirmation.observed(), confirmation.expected(),
                    confirmation.expectedUncertainty(), confirmation.p(), confirmation.z());
        }
    }
}
