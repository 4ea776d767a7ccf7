package org.darkscope.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.DarkscopeVersion;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.FixedPoint;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope trigger export}: the fixed-point score of a dense model as a self-contained C++
 * header, giving the scores of {@code trigger quantize} for the same type bit for bit.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a dense model's fixed-point score (ap_fixed<W,I>) as a self-contained C++ header.",
                "The weights are constant arrays, and one inline function goes from an event's standardised features to its "
                        + "score, the same bits as darkscope trigger quantize (compile with -ffp-contract=off).",
                "Example: darkscope trigger export --model ae.model --bits 18 --integer-bits 6 --out ae.h"})
final class TriggerExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory (" + FixedPointOptions.DENSE_DETECTORS + ").")
    Path model;

    @Mixin
    FixedPointOptions fixed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The header to write, e.g. model.h.")
    Path out;

    @Option(names = "--force", description = "Replace an existing file at --out.")
    boolean force;

    @Override
    public Integer call() {
        FixedPoint type = fixed.type();
        OutputGuard.requireModel(model);
        OutputGuard.check(out, OutputGuard.Kind.DATA, force, List.of(model));
        String namespace = "darkscope_" + model.toAbsolutePath().normalize().getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
        try (TrainedModel loaded = ModelBundle.load(model)) {
            var m = loaded.manifest();
            List<String> comment = List.of("Written by darkscope " + DarkscopeVersion.get() + " (darkscope trigger export) from the bundle "
                            + model + ": detector " + m.detector() + " " + m.hyperparameters() + ", trained " + m.created() + ".",
                    "Input: the " + m.encoder().mean().length + " features of darkscope's encoding '" + m.encoder().encoding()
                            + "', standardised with the bundle's means and widths: (raw - mean) / width.");
            String header = loaded.detector() instanceof NeuralDetector neural
                    ? neural.fixedPointHeader(type, namespace, comment).orElse(null) : null;
            if (header == null) {
                throw new UsageException("export writes dense networks that score in plain Java ("
                        + FixedPointOptions.DENSE_DETECTORS + "); " + m.detector() + " is not one");
            }
            AtomicFile.write(out, header.getBytes(StandardCharsets.UTF_8));
        }
        spec.commandLine().getOut().println("wrote " + out + " (" + type + ", namespace " + namespace + ")");
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
