package org.darkscope.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code darkscope export}: a model's whole scoring function as one ONNX graph, from the
 * encoding's raw features to the score, with a description of its input beside it
 * ({@link OnnxExport}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model's scoring function as one ONNX graph: raw features -> standardisation -> network -> score.",
                "Beside it FILE.json: the raw features in order with their definitions, the opset, the bundle's provenance.",
                "Example: darkscope export --model ae.model --format onnx --out ae.onnx"})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory (" + OnnxExport.EXPORTED + ").")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "The format: onnx (the only one).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write, e.g. model.onnx.")
    Path out;

    @Option(names = "--force", description = "Replace an existing file at --out (and its .json).")
    boolean force;

    @Override
    public Integer call() {
        if (!format.equals("onnx")) {
            throw new UsageException("--format " + format + ": darkscope exports onnx");
        }
        OutputGuard.requireModel(model);
        OutputGuard.check(out, OutputGuard.Kind.DATA, force, List.of(model));
        OutputGuard.check(OnnxExport.descriptionOf(out), OutputGuard.Kind.DATA, force, List.of(model));
        try (TrainedModel loaded = ModelBundle.load(model)) {
            try {
                OnnxExport.write(model, loaded, out);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        spec.commandLine().getOut().println("wrote " + out + " and " + OnnxExport.descriptionOf(out).getFileName());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
