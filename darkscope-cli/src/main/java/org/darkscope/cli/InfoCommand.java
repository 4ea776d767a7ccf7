package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.CombinedDetector;
import org.darkscope.detect.Detectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope info}: what a model bundle holds and where it came from. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a model's detector, settings, parameter count, training data and history, or a detector's method and settings.",
                "A detector's settings are listed with their defaults, ranges and meaning.",
                "Example: darkscope info --model vae.model --json info.json",
                "Example: darkscope info --detector flow"})
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** What to describe: a trained bundle or a detector. */
    static final class Subject {
        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
        Path model;

        @Option(names = "--detector", required = true, paramLabel = "NAME", completionCandidates = TrainCommand.DetectorNames.class,
                description = "A detector, to list its settings: ${COMPLETION-CANDIDATES}.")
        String detector;
    }

    @ArgGroup(multiplicity = "1")
    Subject subject;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the manifest as JSON (with --model).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (subject.detector != null) {
            if (json != null) {
                throw new UsageException("--json writes a model's manifest: use it with --model");
            }
            Detectors.Kind kind = Detectors.kind(subject.detector);
            if (!kind.name().equals(subject.detector)) {
                out.println(subject.detector + " names " + kind.name() + ", the recommended detector");
            }
            SettingsHelp.describeWithMethod(kind).forEach(out::println);
            try (org.darkscope.detect.Detector d = Detectors.create(kind.name(), org.darkscope.detect.Hyperparameters.empty())) {
                out.println(!d.learns() ? "  train --weighted: changes nothing, as it learns nothing from the background"
                        : d.fitsWeights() ? "  train --weighted: counts each background event by its weight"
                        : "  train --weighted: refused, as it learns from events counted once each (darkscope unweight a weighted sample)");
            } catch (IllegalArgumentException e) { // made only with a setting (a model file): it learns nothing
            }
            if (kind.name().equals(CombinedDetector.NAME)) {
                out.println("the default members' own settings, given as MEMBER.KEY (kde.bandwidth=0.75):");
                for (String member : CombinedDetector.MEMBERS.defaultValue().split(",")) {
                    SettingsHelp.describe(Detectors.kind(member)).forEach(line -> out.println("  " + line));
                }
            }
            out.flush();
            return Main.EXIT_OK;
        }
        Path model = subject.model;
        OutputGuard.requireModel(model);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, List.of(model));
        Manifest m;
        boolean learns;
        List<String> advice;
        try (TrainedModel loaded = ModelBundle.load(model)) { // verifies checksums and that the detector loads
            m = loaded.manifest();
            learns = loaded.detector().learns();
            advice = loaded.detector().advice();
        }
        out.printf("model       %s%n", model);
        out.printf("detector    %s  %s%n", m.detector(), m.hyperparameters());
        out.printf("parameters  %d%n", m.parameters());
        int features = m.encoder().mean().length;
        out.printf("encoding    %s (%d feature%s), channel %s%n", m.encoder().encoding(), features, features == 1 ? "" : "s", m.channel());
        out.println(trainedOn(m, learns));
        for (Manifest.TrainingFile f : m.trainingFiles()) {
            out.printf("  %s  %d events  sha256 %s  (%s)%n", f.path(), f.events(), f.sha256(), f.sample());
        }
        out.printf("versions    %s%n", m.libraryVersions());
        if (!m.history().epochs().isEmpty()) {
            out.printf("history     best epoch %d of %d (%s)%n", m.history().bestEpoch(), m.history().epochs().size(),
                    m.history().stopReason());
            for (Manifest.Epoch e : m.history().epochs()) {
                out.printf("  epoch %3d  loss %-12.5g val_loss %-12.5g lr %.3g%n", e.epoch(), e.loss(), e.validationLoss(), e.learningRate());
            }
            m.history().recoveries().forEach(r -> out.println("  recovered: " + r));
        }
        advice.forEach(a -> out.println("note: " + a)); // what train said about the model, for whoever scores with it later
        if (json != null) {
            // the manifest (detector, parameters, format_version, trained_on_events, ...) and the notes printed above
            com.fasterxml.jackson.databind.node.ObjectNode root = Json.MAPPER.valueToTree(m);
            advice.forEach(root.putArray("notes")::add);
            Json.write(json, root);
            out.println("wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** How the model was made: the training schedule only where it trained in epochs (the history has them). */
    private static String trainedOn(Manifest m, boolean learns) {
        if (!learns) {
            return String.format("made from   %d events (%s learns nothing from them)", m.trainedOnEvents() + m.validationEvents(), m.detector());
        }
        String events = String.format("trained on  %d events (+%d validation)%s, seed %d", m.trainedOnEvents(), m.validationEvents(),
                m.training().weighted() ? " counted by their weights" : "", m.training().seed());
        if (m.history().epochs().isEmpty()) {
            return events;
        }
        return String.format("%s, %d epochs max, batch %d, learning rate %s", events, m.training().epochs(), m.training().batchSize(),
                m.training().learningRate());
    }
}
