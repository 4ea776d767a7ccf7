package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.FixedPoint;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.event.Event;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported C++ header, compiled with the system's C++ compiler, gives the fixed-point scores of Java bit for bit. */
class TriggerExportTest {
    @TempDir
    Path dir;

    @Test
    void theHeaderComputesJavasFixedPointScoresBitForBit() throws Exception {
        Assumptions.assumeTrue(run(dir, "g++", "--version") == 0, "no g++ here (.ci/run installs it)");
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        List<Event> events = EventFiles.read(split.signal(1), ParseMode.STRICT, 300);
        Path ae = dir.resolve("ae.model");
        assertEquals(0, CliRunner.run("train", "--detector", "ae", "--background", split.first().toString(), "--out", ae.toString(),
                "--epochs", "5").exitCode());
        headerGivesJavasBits(ae, "darkscope_ae_model", events);
        // a classifier's score is its output, the log-odds
        Path classifier = dir.resolve("classifier.model");
        assertEquals(0, CliRunner.run("train", "--detector", "classifier", "--background", split.first().toString(), "--signal",
                split.signal(0).toString(), "--out", classifier.toString(), "--epochs", "5").exitCode());
        headerGivesJavasBits(classifier, "darkscope_classifier_model", events);
        // Deep SVDD: bias-free, leaky ReLUs, the squared distance to its target
        Path svdd = dir.resolve("svdd.model");
        assertEquals(0, CliRunner.run("train", "--detector", "deep-svdd", "--background", split.first().toString(),
                "--out", svdd.toString(), "--epochs", "5").exitCode());
        headerGivesJavasBits(svdd, "darkscope_svdd_model", events);
    }

    private void headerGivesJavasBits(Path model, String namespace, List<Event> events) throws Exception {
        for (String[] type : new String[][] {{"16", "6", "trn", "wrap"}, {"12", "4", "rnd", "sat"}}) {
            String name = namespace + "-" + type[0];
            Path header = dir.resolve(name + ".h");
            CliRunner r = CliRunner.run("trigger", "export", "--model", model.toString(), "--bits", type[0], "--integer-bits", type[1],
                    "--rounding", type[2], "--saturation", type[3], "--out", header.toString());
            assertEquals(0, r.exitCode(), r.err());
            float[] java;
            StringBuilder features = new StringBuilder();
            try (TrainedModel loaded = ModelBundle.load(model)) {
                FeatureBatch batch = loaded.encoder().encode(events);
                FixedPoint fixed = new FixedPoint(Integer.parseInt(type[0]), Integer.parseInt(type[1]),
                        FixedPoint.Rounding.valueOf(type[2].toUpperCase()), FixedPoint.Overflow.valueOf(type[3].toUpperCase()));
                java = ((NeuralDetector) loaded.detector()).fixedPointScoring(fixed).orElseThrow().apply(batch);
                for (int e = 0; e < batch.rows(); e++) {
                    for (int f = 0; f < batch.rowSize(); f++) {
                        features.append(Float.toHexString(batch.values()[e * batch.rowSize() + f])).append(f + 1 < batch.rowSize() ? " " : "\n");
                    }
                }
            }
            Path input = Files.writeString(dir.resolve("features.txt"), features);
            Path main = Files.writeString(dir.resolve("main-" + name + ".cpp"), "#include <cstdio>\n#include <cstdlib>\n#include \""
                    + header.getFileName() + "\"\nint main() {\n  float x[" + namespace + "::kInputs];\n"
                    + "  while (true) {\n    for (int i = 0; i < " + namespace + "::kInputs; ++i)\n"
                    + "      if (std::scanf(\"%a\", &x[i]) != 1) return 0;\n"
                    + "    std::printf(\"%a\\n\", static_cast<double>(" + namespace + "::score(x)));\n  }\n}\n");
            Path binary = dir.resolve("score-" + name);
            assertEquals(0, run(dir, "g++", "-std=c++17", "-O2", "-ffp-contract=off", "-o", binary.toString(), main.toString()), "compile");
            Path output = dir.resolve("cpp-" + name + ".txt");
            ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectInput(input.toFile()).redirectOutput(output.toFile());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
            List<String> lines = Files.readAllLines(output, StandardCharsets.US_ASCII);
            assertEquals(java.length, lines.size());
            for (int e = 0; e < java.length; e++) {
                float cpp = (float) Double.parseDouble(lines.get(e));
                assertEquals(Float.floatToIntBits(java[e]), Float.floatToIntBits(cpp),
                        name + ", event " + e + ": Java " + java[e] + ", C++ " + cpp);
            }
        }
    }

    private static int run(Path dir, String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException notThere) {
            return -1;
        }
    }
}
