package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.io.BundledSample;
import org.darkscope.io.CsvRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain, split to search, in a directory whose name holds what paths may hold and
 * parsers trip on: a comma, double quotes, a space, brackets, braces and a letter beyond ASCII.
 * Every command reads and writes there, and the scores' file column names the inputs as given.
 */
class OddPathsTest {
    @TempDir
    Path root;

    @Test
    void everyStepWorksInADirectoryWithCommasQuotesBracketsAndBraces() throws IOException {
        Path dir = Files.createDirectories(root.resolve("a, \"b\" [c] {d} \u00e9"));
        BundledSample.Split sample = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "bg, [1].csv.gz", "rest {2}.csv.gz");
        Path train = dir.resolve("train, part.csv");
        Path reference = dir.resolve("reference [r].csv");
        run("split", sample.first().toString(), "--train", train.toString(), "--held-out", reference.toString(), "--order", "file");
        Path model = dir.resolve("the model");
        run("train", "--detector", "default", "--background", train.toString(), "--out", model.toString());
        Path signal = sample.signal(1);
        Path scores = dir.resolve("scores, 1.csv");
        run("score", "--model", model.toString(), "--out", scores.toString(), reference.toString(), signal.toString());
        List<List<String>> rows = CsvRows.parse(Files.readString(scores));
        assertEquals("file", rows.get(0).get(rows.get(0).size() - 1));
        assertEquals(List.of(reference.toString(), signal.toString()), rows.subList(1, rows.size()).stream()
                .map(r -> r.get(r.size() - 1)).distinct().toList());
        run("evaluate", "--model", model.toString(), "--background", reference.toString(), "--signal", signal.toString(), "--json",
                dir.resolve("eval {x}.json").toString(), "--report", dir.resolve("report [x]").toString());
        assertTrue(Files.exists(dir.resolve("report [x]").resolve("report.html")));
        Path data = dir.resolve("data, mixed.csv");
        run("mix", "--background", sample.rest().toString(), "--signal", signal.toString(), "--signal-events", "40", "--out",
                data.toString());
        run("search", "--model", model.toString(), "--background", reference.toString(), "--data", data.toString(), "--toys", "20",
                "--json", dir.resolve("search, 1.json").toString(), "--report", dir.resolve("search report").toString());
        run("benchmark", "--train", train.toString(), "--background", reference.toString(), "--signal", signal.toString(),
                "--detectors", "met", "--out", dir.resolve("bench, [1]").toString());
        assertTrue(Files.readString(dir.resolve("bench, [1]").resolve("results.md")).contains("| met | monojet_Zp2000.0_DM_50.0 |"));
        run("trigger", "calibrate", "--model", model.toString(), "--background", reference.toString(), "--input-rate", "1000",
                "--rate", "20", "--json", dir.resolve("trigger {1}.json").toString());
        run("inspect", data.toString(), "--json", dir.resolve("inspect, 1.json").toString());
    }

    private static void run(String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
    }
}
